/**
 * Who can reach what: the facts of a model that decide it (bucket policies, public access blocks,
 * CORS origins, API authorization, queue and topic policies, Lambda permissions), as lines a
 * reviewer reads. Comparing two models' facts shows what a change opens or closes.
 */
import type { PlanModel, PlannedResource } from './plan-model';
import { remaining } from './plan-model';
import {
  conditionText,
  readable,
  referencedAddress,
  statementsOfPolicy,
} from './policy-statements';

export type ExposureCategory =
  | 'Bucket policies'
  | 'Public access blocks'
  | 'CORS origins'
  | 'API authorization'
  | 'Queue and topic policies'
  | 'Lambda permissions';

export interface ExposureChange {
  category: ExposureCategory;
  opened: string[];
  closed: string[];
}

const CATEGORIES: ExposureCategory[] = [
  'Bucket policies',
  'Public access blocks',
  'CORS origins',
  'API authorization',
  'Queue and topic policies',
  'Lambda permissions',
];

const PUBLIC_ACCESS_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
  'x-amazon-apigateway-any-method',
];

/** A configured value as text (values are strings, numbers, booleans, or blocks). */
const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

const target = (item: PlannedResource, attribute: string): string =>
  readable(referencedAddress(item.values[attribute]) ?? (text(item.values[attribute]) || '?'));

function policyFacts(model: PlanModel, subject: string, policy: unknown): string[] {
  return statementsOfPolicy(model, policy).map((statement) => {
    const who =
      statement.principals.length > 0 ? statement.principals.join(', ') : '(no principal)';
    const actions = [...statement.actions, ...statement.notActions.map((a) => `NOT ${a}`)].join(
      ', ',
    );
    const when = statement.conditions.length > 0 ? ` when ${conditionText(statement)}` : '';
    return `${subject}: ${statement.effect} ${who} ${actions}${when}`;
  });
}

function apiFacts(api: PlannedResource): { cors: string[]; auth: string[] } {
  const cors = new Set<string>();
  const auth: string[] = [];
  let document: Record<string, unknown> = {};
  try {
    document =
      typeof api.values.body === 'string'
        ? (JSON.parse(api.values.body) as Record<string, unknown>)
        : {};
  } catch {
    return { cors: [], auth: [`${api.address}: body is not JSON; authorization not reviewed`] };
  }
  // Every Access-Control-Allow-Origin the API answers with, wherever the document sets it.
  JSON.stringify(document, (name, value: unknown) => {
    if (/Access-Control-Allow-Origin$/i.test(name) && typeof value === 'string') {
      cors.add(`${api.address}: allows origin ${readable(value.replace(/^'|'$/g, ''))}`);
    }
    return value;
  });
  const globalSecurity = document.security;
  for (const [path, item] of Object.entries(
    (document.paths ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation || method === 'options') continue;
      const security = (operation.security ?? globalSecurity) as unknown[] | undefined;
      const authorizer =
        Array.isArray(security) && security.length > 0
          ? `requires ${security.map((entry) => Object.keys(entry as object).join('+')).join(' or ')}`
          : 'no authorization (public)';
      auth.push(`${api.address}: ${method.toUpperCase()} ${path} ${authorizer}`);
    }
  }
  return { cors: [...cors], auth };
}

export function exposureFacts(model: PlanModel): Map<ExposureCategory, Set<string>> {
  const facts = new Map<ExposureCategory, Set<string>>(
    CATEGORIES.map((category) => [category, new Set()]),
  );
  const add = (category: ExposureCategory, lines: string[]): void => {
    for (const line of lines) facts.get(category)?.add(line);
  };
  for (const item of remaining(model)) {
    switch (item.type) {
      case 'aws_s3_bucket_policy':
        add('Bucket policies', policyFacts(model, target(item, 'bucket'), item.values.policy));
        break;
      case 'aws_s3_bucket_public_access_block': {
        const off = PUBLIC_ACCESS_SETTINGS.filter((setting) => item.values[setting] !== true);
        add('Public access blocks', [
          `${target(item, 'bucket')}: ${off.length === 0 ? 'all public access blocked' : `NOT blocked: ${off.join(', ')}`}`,
        ]);
        break;
      }
      case 'aws_s3_bucket_cors_configuration': {
        const rules = item.values.cors_rule;
        for (const rule of (Array.isArray(rules) ? rules : [rules]) as Record<string, unknown>[]) {
          const methods = ([] as unknown[]).concat(rule.allowed_methods ?? []).join(', ');
          for (const origin of ([] as unknown[]).concat(rule.allowed_origins ?? [])) {
            add('CORS origins', [
              `${target(item, 'bucket')}: ${methods} from ${readable(text(origin))}`,
            ]);
          }
        }
        break;
      }
      case 'aws_api_gateway_rest_api': {
        const { cors, auth } = apiFacts(item);
        add('CORS origins', cors);
        add('API authorization', auth);
        break;
      }
      case 'aws_api_gateway_method':
        add('API authorization', [
          `${target(item, 'rest_api_id')}: ${text(item.values.http_method)} ${target(item, 'resource_id')} authorization ${text(item.values.authorization) || 'NONE'}`,
        ]);
        break;
      case 'aws_sqs_queue_policy':
        add(
          'Queue and topic policies',
          policyFacts(model, target(item, 'queue_url'), item.values.policy),
        );
        break;
      case 'aws_sns_topic_policy':
        add(
          'Queue and topic policies',
          policyFacts(model, target(item, 'arn'), item.values.policy),
        );
        break;
      case 'aws_lambda_permission': {
        const from = item.values.source_arn
          ? ` from ${readable(text(item.values.source_arn))}`
          : '';
        add('Lambda permissions', [
          `${target(item, 'function_name')}: ${text(item.values.action)} by ${text(item.values.principal)}${from}`,
        ]);
        break;
      }
      case 'aws_lambda_function_url':
        add('Lambda permissions', [
          `${target(item, 'function_name')}: function URL, authorization ${text(item.values.authorization_type)}`,
        ]);
        break;
      default:
        break;
    }
  }
  return facts;
}

export function compareExposure(
  previous: PlanModel | undefined,
  current: PlanModel,
): ExposureChange[] {
  const before = previous ? exposureFacts(previous) : new Map<ExposureCategory, Set<string>>();
  const after = exposureFacts(current);
  return CATEGORIES.map((category) => {
    const was = before.get(category) ?? new Set<string>();
    const will = after.get(category) ?? new Set<string>();
    return {
      category,
      opened: [...will].filter((fact) => !was.has(fact)).sort(),
      closed: [...was].filter((fact) => !will.has(fact)).sort(),
    };
  });
}
