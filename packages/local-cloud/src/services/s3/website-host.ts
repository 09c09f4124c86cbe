/**
 * The website endpoint: answers as S3 static website hosting does for the cloud's website bucket
 * (index document for folders, the error document with 404), straight from the bucket's objects.
 * The bucket is looked up per request: a cloud started empty serves the one a deploy configures.
 */
import type { RequestHandler } from '../edge/http-endpoint';
import type { ObjectStorage } from './object-storage';

/** `websiteBucket` names the bucket with a website configuration now, if there is one. */
export function websiteHost(
  storage: ObjectStorage,
  websiteBucket: () => string | undefined,
): RequestHandler {
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      response.end('Method Not Allowed');
      return;
    }
    const bucket = websiteBucket();
    if (bucket === undefined) {
      // S3's website endpoint for a bucket without a website configuration.
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        request.method === 'HEAD'
          ? undefined
          : '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><ul><li>Code: NoSuchWebsiteConfiguration</li><li>Message: The local cloud has no bucket with a website configuration (deploy one)</li></ul></body></html>\n',
      );
      return;
    }
    storage.serveWebsite(bucket, request, response);
  };
}
