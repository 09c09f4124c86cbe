/**
 * The one `apigateway` service of the AWS endpoint: API Gateway's control planes share a signing
 * name, and are told apart by path. The REST API's (`/restapis…`, `/account`, `/tags/…`) and the
 * HTTP API's (`/v2/apis…`) each serve a prefix; a request goes to the longest prefix its path
 * starts with.
 */
import { buffered } from '../../edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from '../../edge/types';
import { ApiGatewayError, errorAnswer } from './control-errors';

/** A control plane behind a path prefix: answers each request, throwing ApiGatewayError. */
export interface ControlPlane {
  /** e.g. `/v2/`; `/` takes every path no longer prefix takes. */
  prefix: string;
  handle(request: AwsRequest): Promise<AwsResponse>;
}

export function createApiGatewayService(planes: ControlPlane[]): EdgeService {
  const byLength = [...planes].sort((a, b) => b.prefix.length - a.prefix.length);
  const answer = async (request: AwsRequest): Promise<AwsResponse> => {
    const plane = byLength.find(({ prefix }) => request.path.startsWith(prefix));
    try {
      if (!plane) throw new ApiGatewayError('NotFoundException', 'Invalid path');
      return await plane.handle(request);
    } catch (error) {
      if (error instanceof ApiGatewayError) return errorAnswer(error);
      throw error;
    }
  };
  return { signingName: 'apigateway', handle: buffered('apigateway', answer) };
}
