/**
 * The local IAM: the control plane of roles and policies that Terraform's AWS provider and the
 * AWS CLI drive (query protocol, XML answers and XML errors). What it writes goes to the registry,
 * where the IAM engine judges every request by the roles and policies as they are now.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../iam/access-types';
import type { ResourceRegistry } from '../../model/resource-registry';
import {
  element,
  QUERY_NAMESPACES,
  queryErrorAnswer,
  queryHeaders,
  queryResponse,
  readParams,
} from '../aws-query';
import { buffered } from '../edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from '../edge/types';
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
    this.handle = buffered(this.signingName, (request) => Promise.resolve(this.answer(request)));
  }

  private answer(request: AwsRequest): AwsResponse {
    const requestId = randomUUID();
    const params = readParams(request);
    const action = params.get('Action') ?? '';
    const context: IamContext = {
      resources: this.options.resources,
      accountId: this.options.accountId,
      caller: this.options.principalOf(request.caller.accessKeyId),
    };
    try {
      const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!run) throw invalidAction(action);
      return {
        status: 200,
        headers: queryHeaders(requestId),
        body: queryResponse(QUERY_NAMESPACES.iam, action, run(params, context), requestId),
      };
    } catch (error) {
      if (error instanceof IamError)
        return queryErrorAnswer(QUERY_NAMESPACES.iam, error, requestId);
      throw error;
    }
  }
}
