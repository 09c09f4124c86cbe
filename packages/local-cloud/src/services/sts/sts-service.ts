/**
 * The local STS: GetCallerIdentity, which Terraform's AWS provider calls before anything else (to
 * learn the account id every ARN it builds carries), and which tells a script or a function who
 * its key pair is. The caller is known by the access key the request was signed with; the gate in
 * front of the edge has already checked that signature (GetCallerIdentity needs no permission).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../iam/access-types';
import { AwsError } from '../aws-error';
import {
  element,
  QUERY_NAMESPACES,
  queryErrorAnswer,
  queryHeaders,
  queryResponse,
  readParams,
  unknownActionMessage,
} from '../aws-query';
import { buffered } from '../edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from '../edge/types';

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

export class StsService implements EdgeService {
  readonly signingName = 'sts';
  readonly handle: EdgeService['handle'];

  constructor(private readonly options: StsServiceOptions) {
    this.handle = buffered(this.signingName, (request) => Promise.resolve(this.answer(request)));
  }

  private answer(request: AwsRequest): AwsResponse {
    const requestId = randomUUID();
    const action = readParams(request).get('Action') ?? '';
    const identity =
      action === 'GetCallerIdentity' ? this.identityOf(request.caller.accessKeyId) : undefined;
    if (!identity) {
      const error =
        action === 'GetCallerIdentity'
          ? new AwsError(
              'InvalidClientTokenId',
              'The security token included in the request is invalid.',
              403,
            )
          : new AwsError('InvalidAction', unknownActionMessage(action, API_VERSION));
      return queryErrorAnswer(QUERY_NAMESPACES.sts, error, requestId);
    }
    const result =
      element('UserId', identity.userId) +
      element('Account', identity.account) +
      element('Arn', identity.arn);
    return {
      status: 200,
      headers: queryHeaders(requestId),
      body: queryResponse(QUERY_NAMESPACES.sts, action, result, requestId),
    };
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
