/** What a plan does, counted from `terraform show -json`. */
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
    const actions = change.change.actions.join(',');
    if (actions === 'create') {
      summary.create += 1;
      summary.createdByType[change.type] = (summary.createdByType[change.type] ?? 0) + 1;
    } else if (actions === 'update') summary.update += 1;
    else if (actions === 'delete') summary.destroy += 1;
    else if (actions.includes('create') && actions.includes('delete')) summary.replace += 1;
    else summary.unchanged += 1;
  }
  return summary;
}

export function formatPlanSummary(summary: PlanSummary): string {
  const types = Object.entries(summary.createdByType).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...types.map(([type]) => type.length), 10);
  return [
    `Plan: ${summary.create} to add, ${summary.update} to change, ${summary.replace} to replace, ${summary.destroy} to destroy.`,
    '',
    ...types.map(([type, count]) => `  ${type.padEnd(width)}  ${count}`),
  ].join('\n');
}
