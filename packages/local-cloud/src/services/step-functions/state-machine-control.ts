/**
 * Step Functions' control plane: CreateStateMachine, UpdateStateMachine, DeleteStateMachine, the
 * tag operations, ValidateStateMachineDefinition and the version and alias lists (empty: none
 * are published) that Terraform's aws_sfn_state_machine and `aws stepfunctions` call. A machine is
 * a spec in the resource registry, which the service follows, so a deployed machine runs as a
 * booted one does. Checked as Step Functions checks: the definition (InvalidDefinition), the
 * role, which states.amazonaws.com must be trusted to assume (AccessDeniedException), the log
 * group of the logging configuration, which must exist (InvalidLoggingConfiguration).
 */
import { randomUUID } from 'node:crypto';
import { RefusalMemory } from '../../iam/refusal-memory';
import { trustsService } from '../../iam/role-trust';
import type { Json } from '../../json';
import type { ResourceRegistry } from '../../model/resource-registry';
import type { StateMachineSpec } from '../../stack/topology';
import { definitionDiagnostics, invalidDefinitionMessage } from './definition-diagnostics';
import {
  loggingOf,
  sameConfiguration,
  tagList,
  tagsOf,
  tracingOf,
  validationError,
} from './state-machine-config';
import { epochSeconds, StepFunctionsError } from './step-functions-protocol';
import { stateMachineArn } from '../../model/arns';

type Body = { [key: string]: Json };

export interface StateMachineControlOptions {
  resources: ResourceRegistry;
  region: string;
  accountId: string;
  /** Whether CloudWatch Logs has a log group of that name. */
  logGroupExists: (name: string) => boolean;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const MACHINE_NAME = /^[0-9A-Za-z_-]{1,80}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]+$/;

const required = (body: Body, field: string): string => {
  const value = body[field];
  if (typeof value !== 'string') {
    throw validationError(null, field, 'Member must not be null');
  }
  return value;
};

function checkDefinition(definition: string): void {
  const diagnostics = definitionDiagnostics(definition);
  if (diagnostics.length > 0) {
    throw new StepFunctionsError('InvalidDefinition', invalidDefinitionMessage(diagnostics));
  }
}

function typeOf(body: Body): StateMachineSpec['type'] {
  const type = body.type ?? 'STANDARD';
  if (type !== 'STANDARD' && type !== 'EXPRESS') {
    throw validationError(
      String(JSON.stringify(type)),
      'type',
      'Member must satisfy enum value set: [STANDARD, EXPRESS]',
    );
  }
  return type;
}

export class StateMachineControl {
  private readonly roleRefusals = new RefusalMemory();

  constructor(private readonly options: StateMachineControlOptions) {}

  /** The operations this module answers, by name; undefined for the others. */
  operation(name: string, body: Body): Json | undefined {
    switch (name) {
      case 'CreateStateMachine':
        return this.create(body);
      case 'UpdateStateMachine':
        return this.update(body);
      case 'DeleteStateMachine':
        return this.delete(body);
      case 'ValidateStateMachineDefinition':
        return validateDefinition(body);
      case 'ListTagsForResource':
        return { tags: tagList(this.tagged(body).tags) };
      case 'TagResource':
        return this.tag(body);
      case 'UntagResource':
        return this.untag(body);
      case 'ListStateMachineVersions':
        this.existing(required(body, 'stateMachineArn'));
        return { stateMachineVersions: [] };
      case 'ListStateMachineAliases':
        this.existing(required(body, 'stateMachineArn'));
        return { stateMachineAliases: [] };
      default:
        return undefined;
    }
  }

  private create(body: Body): Json {
    const name = required(body, 'name');
    if (!MACHINE_NAME.test(name))
      throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    const definition = required(body, 'definition');
    checkDefinition(definition);
    const roleArn = required(body, 'roleArn');
    this.checkRole(name, roleArn);
    const arn = stateMachineArn(this.options, name);
    const spec: StateMachineSpec = {
      address: arn,
      name,
      arn,
      definition,
      roleArn,
      type: typeOf(body),
      ...loggingOf(body.loggingConfiguration, this.options.logGroupExists),
      tracingEnabled: tracingOf(body.tracingConfiguration),
      tags: tagsOf(body.tags),
      creationDate: Date.now(),
    };
    const existing = this.options.resources.get('stateMachines', arn);
    if (existing) {
      // The same machine asked for again is the one made before (role and tags aside).
      if (!sameConfiguration(existing, spec)) {
        throw new StepFunctionsError(
          'StateMachineAlreadyExists',
          `State Machine Already Exists: '${arn}'`,
        );
      }
      return {
        stateMachineArn: arn,
        creationDate: epochSeconds(existing.creationDate ?? Date.now()),
      };
    }
    this.options.resources.put('stateMachines', spec);
    return { stateMachineArn: arn, creationDate: epochSeconds(spec.creationDate ?? Date.now()) };
  }

  private update(body: Body): Json {
    const spec = this.existing(required(body, 'stateMachineArn'));
    const { definition, roleArn, loggingConfiguration, tracingConfiguration } = body;
    if (
      [definition, roleArn, loggingConfiguration, tracingConfiguration].every(
        (v) => v === undefined,
      )
    ) {
      throw new StepFunctionsError(
        'MissingRequiredParameter',
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
    const next: StateMachineSpec = { ...spec, revisionId: randomUUID() };
    if (definition !== undefined) {
      next.definition = required(body, 'definition');
      checkDefinition(next.definition);
    }
    if (roleArn !== undefined) {
      next.roleArn = required(body, 'roleArn');
      this.checkRole(spec.name, next.roleArn);
    }
    if (loggingConfiguration !== undefined) {
      Object.assign(next, loggingOf(loggingConfiguration, this.options.logGroupExists));
    }
    if (tracingConfiguration !== undefined) next.tracingEnabled = tracingOf(tracingConfiguration);
    this.options.resources.put('stateMachines', next);
    return { updateDate: epochSeconds(Date.now()), revisionId: next.revisionId ?? '' };
  }

  /** Deleting a machine that is not there succeeds: the call is idempotent. */
  private delete(body: Body): Json {
    const arn = required(body, 'stateMachineArn');
    checkMachineArn(arn);
    this.options.resources.remove('stateMachines', arn);
    return {};
  }

  private tag(body: Body): Json {
    const spec = this.tagged(body);
    const tags = { ...spec.tags, ...tagsOf(body.tags) };
    if (Object.keys(tags).length > 50) {
      throw new StepFunctionsError('TooManyTags', 'Too many tags: at most 50 are allowed');
    }
    this.options.resources.put('stateMachines', { ...spec, tags });
    return {};
  }

  private untag(body: Body): Json {
    const spec = this.tagged(body);
    const keys = body.tagKeys;
    if (!Array.isArray(keys)) throw validationError(null, 'tagKeys', 'Member must not be null');
    const tags = { ...spec.tags };
    for (const key of keys) if (typeof key === 'string') delete tags[key];
    this.options.resources.put('stateMachines', { ...spec, tags });
    return {};
  }

  /** The machine a tag operation names; Step Functions answers ResourceNotFound for others. */
  private tagged(body: Body): StateMachineSpec {
    const arn = required(body, 'resourceArn');
    const spec = this.options.resources.get('stateMachines', arn);
    if (!spec) throw new StepFunctionsError('ResourceNotFound', `Resource not found: '${arn}'`);
    return spec;
  }

  private existing(arn: string): StateMachineSpec {
    checkMachineArn(arn);
    const spec = this.options.resources.get('stateMachines', arn);
    if (!spec) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${arn}'`,
      );
    }
    return spec;
  }

  /**
   * The role must exist and trust Step Functions, as AWS checks at create and update. AWS answers
   * AccessDeniedException, on which Terraform's provider retries for its create timeout (IAM
   * propagation): a repeat for the same machine and role is a ValidationException naming the role
   * and why, which it does not retry (see refusal-memory.ts).
   */
  private checkRole(machine: string, roleArn: string): void {
    if (!ROLE_ARN.test(roleArn))
      throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${roleArn}'`);
    const role = this.options.resources.get('roles', roleArn);
    if (role && trustsService(role, 'states.amazonaws.com')) return;
    if (!this.roleRefusals.repeated(`${machine}\n${roleArn}`)) {
      throw new StepFunctionsError(
        'AccessDeniedException',
        'Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.',
      );
    }
    const reason = role
      ? 'its trust policy does not allow states.amazonaws.com to call sts:AssumeRole'
      : 'IAM has no such role';
    throw new StepFunctionsError(
      'ValidationException',
      `The role ${roleArn} cannot be assumed by Step Functions: ${reason}. (A retry is refused the same way until the role changes: the local cloud has no IAM propagation delay.)`,
    );
  }
}

function checkMachineArn(arn: string): void {
  if (!STATE_MACHINE_ARN.test(arn))
    throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
}

/** ValidateStateMachineDefinition: OK, or FAIL with the diagnostics. */
function validateDefinition(body: Body): Json {
  const diagnostics = definitionDiagnostics(required(body, 'definition'));
  typeOf(body);
  return {
    result: diagnostics.length === 0 ? 'OK' : 'FAIL',
    diagnostics: diagnostics.map((diagnostic) => ({ ...diagnostic })),
    truncated: false,
  };
}
