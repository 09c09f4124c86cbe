/** The helpers the app's specs and the local cloud's specs share; nothing but specs imports them. */
export { eventually } from './eventually';
export { FIXTURE_ACCOUNT, FIXTURE_REGION, functionSpec } from './function-spec';
export { listeningPorts } from './listening-ports';
export { is } from './matchers';
export { rawRequest, xmlElementText } from './raw-http';
export type { RawAnswer, RawRequest } from './raw-http';
export { LOCAL_CLOUD_SERVICES, LocalTerraform, localCloudProvider } from './local-terraform';
export type { LocalCloudTarget, TerraformRun } from './local-terraform';
