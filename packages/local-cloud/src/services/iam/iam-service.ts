/**
 * The local IAM: the control plane of roles and policies that Terraform's AWS provider and the
 * AWS CLI drive (query protocol, XML answers and XML errors). What it writes goes to the registry,
 * where the IAM engine judges every request by the roles and policies as they are now.
 */
import type { Principal } from '../../iam/access-types';
import type { ResourceRegistry } from '../../model/resource-registry';
import { element, QUERY_NAMESPACES } from '../aws-query';
import type { Params } from '../aws-query';
import type { AwsRequest, EdgeService } from '../edge/types';
import { queryHandler } from '../query-answer';
import type { QueryService } from '../query-answer';
import type { IamAction, IamContext } from './iam-context';
import { IamError, invalidAction, noSuchEntity, validationError } from './iam-errors';
import { iamDate } from './iam-xml';
import { MANAGED_POLICY_ACTIONS } from './managed-policy-actions';
import { ROLE_ACTIONS } from './role-actions';
import { ROLE_POLICY_ACTIONS } from './role-policy-actions';

export interface IamServiceOptions {
  resources: ResourceRegistry;
  accountId: string;
  /** Who holds an access key the local cloud issued. */
  principalOf(accessKeyId: string): Principal | undefined;
}

/**
 * GetUser without a name answers the caller: the administrator is the account's root (what the
 * provider reads the account id from); a role session is no user. The local cloud has no users.
 */
const getUser: IamAction = (params, { caller, accountId }) => {
  const userName = params.get('UserName');
  if (userName !== undefined) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  if (caller?.kind !== 'account-admin')
    throw validationError(
      'userName',
      undefined,
      'Must specify userName when calling with non-User credentials',
    );
  return `<User>${element('Path', '/')}${element('UserId', accountId)}${element('Arn', caller.arn)}${element('CreateDate', iamDate(new Date(0)))}</User>`;
};

const ACTIONS: Record<string, IamAction> = {
  ...ROLE_ACTIONS,
  ...ROLE_POLICY_ACTIONS,
  ...MANAGED_POLICY_ACTIONS,
  GetUser: getUser,
};

export class IamService implements EdgeService {
  readonly signingName = 'iam';
  readonly handle: EdgeService['handle'];

  constructor(private readonly options: IamServiceOptions) {
    const service: QueryService = {
      namespace: QUERY_NAMESPACES.iam,
      isOwnError: (error) => error instanceof IamError,
      run: (action, params, request) => this.run(action, params, request),
    };
    this.handle = queryHandler(this.signingName, service);
  }

  private run(action: string, params: Params, request: AwsRequest): string | undefined {
    const context: IamContext = {
      resources: this.options.resources,
      accountId: this.options.accountId,
      caller: this.options.principalOf(request.caller.accessKeyId),
    };
    const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!run) throw invalidAction(action);
    return run(params, context);
  }
}
