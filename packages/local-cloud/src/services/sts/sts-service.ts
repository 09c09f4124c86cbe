/**
 * The local STS: GetCallerIdentity, which Terraform's AWS provider calls before anything else (to
 * learn the account id every ARN it builds carries), and which tells a script or a function who
 * its key pair is. The caller is known by the access key the request was signed with; the gate in
 * front of the edge has already checked that signature (GetCallerIdentity needs no permission).
 */
import type { Principal } from '../../iam/access-types';
import { AwsError } from '../aws-error';
import { element, QUERY_NAMESPACES, unknownActionMessage } from '../aws-query';
import type { AwsRequest, EdgeService } from '../edge/types';
import { queryHandler } from '../query-answer';
import type { QueryService } from '../query-answer';

export interface StsServiceOptions {
  accountId: string;
  /** Who holds an access key the local cloud issued. */
  principalOf(accessKeyId: string): Principal | undefined;
  /** The RoleId of a role, by ARN (the first part of an assumed role's UserId). */
  roleIdOf(roleArn: string): string;
}

const API_VERSION = '2011-06-15';

interface Identity {
  userId: string;
  account: string;
  arn: string;
}

/** STS's errors, which it answers in the query protocol's shape. */
class StsError extends AwsError {}

export class StsService implements EdgeService {
  readonly signingName = 'sts';
  readonly handle: EdgeService['handle'];

  constructor(private readonly options: StsServiceOptions) {
    const service: QueryService = {
      namespace: QUERY_NAMESPACES.sts,
      isOwnError: (error) => error instanceof StsError,
      run: (action, _params, request) => this.run(action, request),
    };
    this.handle = queryHandler(this.signingName, service);
  }

  private run(action: string, request: AwsRequest): string {
    if (action !== 'GetCallerIdentity')
      throw new StsError('InvalidAction', unknownActionMessage(action, API_VERSION));
    const identity = this.identityOf(request.caller.accessKeyId);
    if (!identity)
      throw new StsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
    return (
      element('UserId', identity.userId) +
      element('Account', identity.account) +
      element('Arn', identity.arn)
    );
  }

  /** The administrator is the account's root; a function or state machine, its role session. */
  private identityOf(accessKeyId: string): Identity | undefined {
    const principal = this.options.principalOf(accessKeyId);
    switch (principal?.kind) {
      case 'account-admin':
        return { userId: principal.accountId, account: principal.accountId, arn: principal.arn };
      case 'role': {
        const session = principal.sessionArn.slice(principal.sessionArn.lastIndexOf('/') + 1);
        return {
          userId: `${this.options.roleIdOf(principal.roleArn)}:${session}`,
          account: principal.accountId,
          arn: principal.sessionArn,
        };
      }
      default:
        return undefined;
    }
  }
}
