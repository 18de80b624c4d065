import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayablePorts } from '../../src/cli/format/ports.js';

test('PORTS column as docker ps prints it: ranges folded, remapped ports last', () => {
  assert.equal(displayablePorts([]), '');
  assert.equal(displayablePorts([{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 443, Type: 'tcp' }]), '443/tcp, 0.0.0.0:8080->80/tcp');
  const same = [8002, 8000, 8001].map((p) => ({ IP: '0.0.0.0', PrivatePort: p, PublicPort: p, Type: 'tcp' }));
  assert.equal(displayablePorts(same), '0.0.0.0:8000-8002->8000-8002/tcp');
  assert.equal(displayablePorts([{ PrivatePort: 9001, Type: 'udp' }, { PrivatePort: 9000, Type: 'udp' }, { PrivatePort: 9000, Type: 'tcp' }]), '9000/tcp, 9000-9001/udp');
  assert.equal(displayablePorts([80, 81, 90].map((p) => ({ PrivatePort: p, Type: 'tcp' }))), '80-81/tcp, 90/tcp');
  assert.equal(displayablePorts([{ IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }]), '[::]:8080->80/tcp');
});
