/**
 * What a boot has started stops last-started first, every stop even when one fails, and the
 * first failure is the one reported.
 */
import { StartedServices } from '../../src/boot/started-services';

it('gives each step its service back', () => {
  const started = new StartedServices();

  const service = started.add({ service: 'queues', stop: () => undefined });

  expect(service).toBe('queues');
});

it('stops the services in the reverse order of their start', async () => {
  const started = new StartedServices();
  const stopped: string[] = [];
  for (const name of ['ports', 'storage', 'functions']) {
    started.add({ service: name, stop: () => void stopped.push(name) });
  }

  await started.stopAll();

  expect(stopped).toEqual(['functions', 'storage', 'ports']);
});

it('runs every stop when one fails, then reports the first failure', async () => {
  const started = new StartedServices();
  const stopped: string[] = [];
  started.add({ service: 'ports', stop: () => void stopped.push('ports') });
  started.add({ service: 'storage', stop: () => Promise.reject(new Error('storage stuck')) });
  started.add({
    service: 'functions',
    stop: () => {
      throw new Error('functions stuck');
    },
  });

  await expect(started.stopAll()).rejects.toThrow('functions stuck');
  expect(stopped).toEqual(['ports']);
});

it('stops each service once, however often it is asked', async () => {
  const started = new StartedServices();
  let stops = 0;
  started.add({ service: 'queues', stop: () => void stops++ });

  await started.stopAll();
  await started.stopAll();

  expect(stops).toBe(1);
});
