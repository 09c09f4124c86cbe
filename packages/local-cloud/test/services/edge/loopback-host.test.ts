/**
 * DNS rebinding: each port answers only requests addressed to a loopback name or to the host it
 * listens on, so a page whose own name was pointed at 127.0.0.1 cannot call it as its origin.
 */
import { isLoopbackHost } from '../../../src/services/edge/loopback-host';

it.each([
  '127.0.0.1:4566',
  '127.0.0.1',
  'localhost:3000',
  'LOCALHOST:3000',
  '[::1]:3001',
  'bucket.localhost:4566',
  'my-app.localhost',
])('answers a request addressed to %s', (host) => {
  expect(isLoopbackHost(host, '127.0.0.1')).toBe(true);
});

it.each([
  'evil.example:4566',
  'evil.example',
  'localhost.evil.example:3000',
  '127.0.0.1.evil.example',
  '192.168.1.20:4566',
  '[::2]:3001',
  '',
])('refuses a request addressed to "%s"', (host) => {
  expect(isLoopbackHost(host, '127.0.0.1')).toBe(false);
});

it('refuses a request without a Host header', () => {
  expect(isLoopbackHost(undefined, '127.0.0.1')).toBe(false);
});

it('answers the host it was told to listen on', () => {
  expect(isLoopbackHost('devbox.internal:3000', 'devbox.internal')).toBe(true);
  expect(isLoopbackHost('[fd00::5]:3000', 'fd00::5')).toBe(true);
});
