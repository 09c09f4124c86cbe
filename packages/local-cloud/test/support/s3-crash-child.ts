/**
 * The local S3 alone in a process of its own, for the crash spec to kill: started on the data
 * directory given as the first argument, with the buckets named after it; prints `READY <endpoint>`
 * once it answers, then runs until it is killed.
 */
import { bucketSpec, startLocalS3 } from './local-s3';

const [directory, ...buckets] = process.argv.slice(2);
if (!directory) throw new Error('usage: s3-crash-child <data directory> <bucket>…');

void startLocalS3({ directory, buckets: buckets.map((name) => bucketSpec(name)) }).then((s3) => {
  process.stdout.write(`READY ${s3.endpoint}\n`);
});
