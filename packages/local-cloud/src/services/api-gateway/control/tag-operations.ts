/**
 * TagResource, UntagResource and GetTags (`/tags/<resource ARN>`) for the ARNs the local API
 * Gateway tags: a REST API's (`arn:aws:apigateway:<region>::/restapis/<id>`) and a stage's
 * (`…/restapis/<id>/stages/<name>`).
 */
import type { AwsRequest, AwsResponse } from '../../edge/types';
import { badRequest, jsonAnswer, notFound } from './control-errors';
import type { ControlContext } from './control-context';
import { inputOf, restApiOf, stringMap } from './control-context';
import { stageOf, withControl } from './rest-api-model';

const TAGGABLE = /^arn:aws[a-z-]*:apigateway:([^:]*)::\/restapis\/([^/]+)(?:\/stages\/([^/]+))?$/;

type Tags = Record<string, string>;

/** The tags of the resource an ARN names, and how to change them. */
function tagged(context: ControlContext, arn: string): { tags: Tags; set: (tags: Tags) => void } {
  const match = TAGGABLE.exec(arn);
  if (!match || match[1] !== context.region)
    throw notFound(`Invalid resource identifier specified: ${arn}`);
  const api = restApiOf(context, match[2]);
  const control = api.control;
  const stageName = match[3];
  if (stageName === undefined) {
    return {
      tags: control?.tags ?? {},
      set: (tags) =>
        control && context.registry.put('restApis', { ...api, control: { ...control, tags } }),
    };
  }
  const stage = stageOf(api, stageName);
  return {
    tags: stage.tags,
    set: (tags) =>
      control &&
      context.registry.put(
        'restApis',
        withControl(api, {
          ...control,
          stages: control.stages.map((each) => (each === stage ? { ...stage, tags } : each)),
        }),
      ),
  };
}

export function tagOperation(context: ControlContext, request: AwsRequest): AwsResponse {
  const arn = request.path.slice('/tags/'.length);
  const resource = tagged(context, arn);
  switch (request.method) {
    case 'GET':
      return jsonAnswer(200, { tags: resource.tags });
    case 'PUT': {
      const tags = stringMap(inputOf(request), 'tags');
      if (Object.keys(tags).some((key) => key.toLowerCase().startsWith('aws:'))) {
        throw badRequest('Tag keys starting with "aws:" are reserved');
      }
      resource.set({ ...resource.tags, ...tags });
      return jsonAnswer(204);
    }
    case 'DELETE': {
      const removed = new Set(request.query.getAll('tagKeys'));
      resource.set(
        Object.fromEntries(Object.entries(resource.tags).filter(([key]) => !removed.has(key))),
      );
      return jsonAnswer(204);
    }
    default:
      throw notFound('Invalid method for tags');
  }
}
