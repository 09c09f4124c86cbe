import { stageSettings } from '../../stacks/stage-settings';

describe('stageSettings', () => {
  it('keeps production data and logs longer, behind deletion protection, and accepts more traffic', () => {
    expect(stageSettings('prod')).toEqual({
      logRetentionDays: 90,
      protectData: true,
      logLevel: 'INFO',
      throttling: { burstLimit: 200, rateLimit: 100 },
    });
  });

  it('treats every other stage as disposable, with short retention, debug logs and low limits', () => {
    expect(stageSettings('feature-x')).toEqual({
      logRetentionDays: 14,
      protectData: false,
      logLevel: 'DEBUG',
      throttling: { burstLimit: 50, rateLimit: 25 },
    });
  });
});
