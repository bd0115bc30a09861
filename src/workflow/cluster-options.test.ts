import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkClusterOption, maskUrl, parseRedisUrl } from './cluster-options.js';

test('cluster option: a Redis URL or { url, name, timeout }; bad ones are refused naming the option, passwords masked', () => {
  assert.deepEqual(checkClusterOption('gridSearch', 'redis://host:6379/0'), {
    target: { url: 'redis://host:6379/0', safe: 'redis://host:6379/0' }, name: null, timeout: 30000, checkInterval: 5000,
  });
  const full = checkClusterOption('gridSearch', { url: 'rediss://:s3cret@host:6380/2', name: 'lr-sweep.v2', timeout: 1000 });
  assert.equal(full.target.safe, 'rediss://:***@host:6380/2');
  assert.equal(full.name, 'lr-sweep.v2');
  assert.equal(full.timeout, 1000);
  const bad: [unknown, RegExp][] = [
    ['http://host:6379/0', /option 'cluster' expected a Redis URL such as 'redis:\/\/host:6379\/0' .*, received "http:\/\/host:6379\/0" \(protocol http: instead of redis: or rediss:\)/],
    ['host:6379', /option 'cluster' expected a Redis URL.*\(protocol host: instead of redis: or rediss:\)/],
    ['redis://', /option 'cluster' expected a Redis URL.*received "redis:\/\/", which names no host/],
    ['redis://:pw@host/zero', /received "redis:\/\/:\*\*\*@host\/zero", whose path '\/zero' is not a database number/],
    ['not a url', /option 'cluster' expected a Redis URL .*, received "not a url"/],
    [{ url: 'redis://h/0', name: 'a:b' }, /option 'cluster.name' expected a run name of letters, digits, '.', '_' and '-' .*received "a:b"/],
    [{ url: 'redis://h/0', timeout: 0 }, /option 'cluster.timeout' expected a positive number of milliseconds, received 0/],
    [{ url: 'redis://h/0', workers: 2 }, /option 'cluster' has an unknown key 'workers' \(known: url, name, timeout, checkInterval\)/],
    [{ name: 'x' }, /option 'cluster.url' expected a Redis URL .*received undefined/],
  ];
  for (const [option, message] of bad) assert.throws(() => checkClusterOption('gridSearch', option as string), message);
  assert.throws(() => parseRedisUrl('w', "argument 'url'", 42), /w: argument 'url' expected a Redis URL .*, received 42/);
  assert.equal(maskUrl('redis://user:pw@h:1/0'), 'redis://user:***@h:1/0');
  assert.equal(maskUrl('redis://h:1/0'), 'redis://h:1/0');
});
