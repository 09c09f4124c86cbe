/** API Gateway guardrails: every stage throttled and logging its requests. */
import type { Finding, GuardrailRule } from './guardrail-rule';
import type { PlanModel, PlannedResource } from './plan-model';
import { blocks, remainingOfType, identifies, isPositive, text } from './rules-values';

/** Method settings of the stage's REST API and stage (by reference or by the same name). */
function methodSettingsOf(model: PlanModel, stage: PlannedResource): PlannedResource[] {
  const restApi = text(stage.values.rest_api_id);
  return remainingOfType(model, 'aws_api_gateway_method_settings').filter(
    (settings) =>
      restApi !== undefined &&
      settings.values.rest_api_id === restApi &&
      identifies(settings.values.stage_name, stage, ['stage_name', 'id'], 'stage_name'),
  );
}

function throttles(settings: PlannedResource): boolean {
  return (
    settings.values.method_path === '*/*' &&
    blocks(settings.values.settings).some(
      (values) =>
        isPositive(values.throttling_rate_limit) && isPositive(values.throttling_burst_limit),
    )
  );
}

export const stageThrottled: GuardrailRule = {
  id: 'API-001',
  title: 'API stages are throttled',
  rationale:
    'Without stage throttling one client can use the whole account limit: Lambda concurrency, table capacity and the bill.',
  fix: 'Add aws_api_gateway_method_settings for the stage with method_path "*/*" and throttling_rate_limit and throttling_burst_limit > 0.',
  check: (model) =>
    remainingOfType(model, 'aws_api_gateway_stage').flatMap((stage): Finding[] => {
      const settings = methodSettingsOf(model, stage);
      if (settings.some(throttles)) return [];
      const message =
        settings.length === 0
          ? 'has no aws_api_gateway_method_settings'
          : `${settings.map((s) => s.address).join(', ')} set no "*/*" throttling_rate_limit and throttling_burst_limit above 0`;
      return [{ ruleId: 'API-001', address: stage.address, message }];
    }),
};

export const stageAccessLogs: GuardrailRule = {
  id: 'API-002',
  title: 'API stages write access logs',
  rationale:
    'Access logs are the only record of who called what and with which status, for incidents and audits.',
  fix: 'Set access_log_settings with a log group destination_arn and a format.',
  check: (model) =>
    remainingOfType(model, 'aws_api_gateway_stage')
      .filter(
        (stage) =>
          !blocks(stage.values.access_log_settings).some(
            (settings) =>
              text(settings.destination_arn) !== undefined && text(settings.format) !== undefined,
          ),
      )
      .map((stage) => ({
        ruleId: 'API-002',
        address: stage.address,
        message: 'has no access_log_settings with a destination_arn and a format',
      })),
};
