/** How stages differ: production keeps its data and logs longer and accepts more traffic. */
export interface StageSettings {
  logRetentionDays: number;
  /** Tables refuse deletion; buckets refuse to be destroyed while they hold objects. */
  protectData: boolean;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  throttling: { burstLimit: number; rateLimit: number };
}

export function stageSettings(stage: string): StageSettings {
  return stage === 'prod'
    ? {
        logRetentionDays: 90,
        protectData: true,
        logLevel: 'INFO',
        throttling: { burstLimit: 200, rateLimit: 100 },
      }
    : {
        logRetentionDays: 14,
        protectData: false,
        logLevel: 'DEBUG',
        throttling: { burstLimit: 50, rateLimit: 25 },
      };
}
