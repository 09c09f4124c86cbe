import { actionOf } from './review/plan-model-loaders';

/** What a plan does, counted from `terraform show -json` (the review prints it; specs check it). */
export interface PlanJson {
  resource_changes?: {
    address: string;
    type: string;
    mode: 'managed' | 'data';
    change: { actions: string[] };
  }[];
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  destroy: number;
  unchanged: number;
  createdByType: Record<string, number>;
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    destroy: 0,
    unchanged: 0,
    createdByType: {},
  };
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== 'managed') continue;
    // The review's reading of Terraform's actions, so the two never disagree.
    const action = actionOf(change.change.actions);
    if (action === 'create') {
      summary.create += 1;
      summary.createdByType[change.type] = (summary.createdByType[change.type] ?? 0) + 1;
    } else if (action === 'update') summary.update += 1;
    else if (action === 'delete') summary.destroy += 1;
    else if (action === 'replace') summary.replace += 1;
    else summary.unchanged += 1;
  }
  return summary;
}
