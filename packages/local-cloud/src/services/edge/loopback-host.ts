/**
 * The names a request to the local cloud may be addressed to. DNS rebinding lets a page on
 * evil.example point its own name at 127.0.0.1 and then call these ports as its own origin (reading
 * the answers, which CORS would otherwise hide); its requests still say `Host: evil.example`. So
 * every port answers only requests addressed to a loopback name, or to the host it was told to
 * listen on.
 */

/** `[::1]:3000` → `::1`, `Localhost:3000` → `localhost`. */
function hostnameOf(host: string): string {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return name.toLowerCase();
}

export function isLoopbackHost(host: string | undefined, configured: string): boolean {
  if (host === undefined || host === '') return false;
  const name = hostnameOf(host);
  return (
    name === '127.0.0.1' ||
    name === 'localhost' ||
    name === '::1' ||
    name.endsWith('.localhost') ||
    name === hostnameOf(configured.includes(':') ? `[${configured}]` : configured)
  );
}
