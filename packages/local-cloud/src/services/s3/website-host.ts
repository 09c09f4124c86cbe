/**
 * The website endpoint: answers as S3 static website hosting does for the stack's website bucket
 * (index document for folders, the error document with 404), straight from the bucket's objects.
 */
import type { RequestHandler } from '../edge/http-endpoint';
import type { ObjectStorage } from './object-storage';

export function websiteHost(storage: ObjectStorage, bucket: string): RequestHandler {
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      response.end('Method Not Allowed');
      return;
    }
    storage.serveWebsite(bucket, request, response);
  };
}
