/**
 * A bucket's website configuration (`?website`): the index document suffix, the error document,
 * or a redirect of every request to another host. Routing rules are not emulated: a configuration
 * with them is refused with NotImplemented rather than stored and ignored.
 */
import { s3Errors } from './s3-errors';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText } from './xml-reader';
import { nested, text } from './xml-writer';

export interface WebsiteConfiguration {
  indexDocument?: string;
  errorDocument?: string;
  redirectAllRequestsTo?: { hostName: string; protocol?: 'http' | 'https' };
}

function only(element: XmlElement, name: string): XmlElement | undefined {
  const matches = childrenNamed(element, name);
  if (matches.length > 1) throw s3Errors.malformedXml();
  return matches[0];
}

export function readWebsiteConfiguration(root: XmlElement): WebsiteConfiguration {
  if (root.name !== 'WebsiteConfiguration') throw s3Errors.malformedXml();
  if (only(root, 'RoutingRules')) throw s3Errors.notImplemented('Website routing rules');
  const redirect = only(root, 'RedirectAllRequestsTo');
  if (redirect) {
    const hostName = childText(redirect, 'HostName')?.trim();
    const protocol = childText(redirect, 'Protocol')?.trim();
    if (!hostName || (protocol !== undefined && protocol !== 'http' && protocol !== 'https')) {
      throw s3Errors.malformedXml();
    }
    if (only(root, 'IndexDocument') || only(root, 'ErrorDocument')) {
      throw s3Errors.invalidRequest(
        'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.',
      );
    }
    return { redirectAllRequestsTo: { hostName, ...(protocol ? { protocol } : {}) } };
  }
  const index = only(root, 'IndexDocument');
  const suffix = index && childText(index, 'Suffix');
  if (suffix === undefined) {
    throw s3Errors.invalidArgument(
      'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
    );
  }
  if (suffix === '' || suffix.includes('/')) {
    throw s3Errors.invalidArgument(
      'The IndexDocument Suffix is not well formed',
      'IndexDocument',
      suffix,
    );
  }
  const error = only(root, 'ErrorDocument');
  const errorKey = error && childText(error, 'Key');
  if (error && !errorKey) throw s3Errors.malformedXml();
  return { indexDocument: suffix, ...(errorKey ? { errorDocument: errorKey } : {}) };
}

export function writeWebsiteConfiguration(configuration: WebsiteConfiguration): string {
  const redirect = configuration.redirectAllRequestsTo;
  if (redirect) {
    return nested(
      'RedirectAllRequestsTo',
      text('HostName', redirect.hostName),
      text('Protocol', redirect.protocol),
    );
  }
  return (
    nested('IndexDocument', text('Suffix', configuration.indexDocument)) +
    (configuration.errorDocument
      ? nested('ErrorDocument', text('Key', configuration.errorDocument))
      : '')
  );
}
