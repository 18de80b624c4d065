import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, attrString, decodeAttributes, decodeMessages, encodeAttributes, encodeMessage } from '../../src/net/netlink/message.js';
import { ifinfomsg, macBytes } from '../../src/net/netlink/links.js';

test('a message: 16-byte header with total length, type, flags, seq; body padded attributes', () => {
  const msg = encodeMessage(16, 0x605, 7, ifinfomsg(3, 1, 1), [attr.string(3, 'eth0')]);
  assert.equal(msg.readUInt32LE(0), msg.length);
  assert.equal(msg.length, 16 + 16 + 12); // "eth0\0" = 5 bytes + 4 header = 9, padded to 12
  assert.equal(msg.readUInt16LE(4), 16);
  assert.equal(msg.readUInt16LE(6), 0x605);
  assert.equal(msg.readUInt32LE(8), 7);
  assert.equal(msg.readInt32LE(16 + 4), 3);
  assert.equal(msg.readUInt16LE(32), 9);
  assert.equal(attrString(decodeAttributes(msg.subarray(32)).get(3)), 'eth0');
});

test('nested attributes carry NLA_F_NESTED and decode back', () => {
  const encoded = encodeAttributes([attr.nested(18, [attr.string(1, 'veth'), attr.u32(2, 42)])]);
  assert.equal(encoded.readUInt16LE(2), 18 | 0x8000);
  const inner = decodeAttributes(decodeAttributes(encoded).get(18)!);
  assert.equal(attrString(inner.get(1)), 'veth');
  assert.equal(inner.get(2)!.readUInt32LE(0), 42);
});

test('a datagram with several messages is split on aligned lengths', () => {
  const a = encodeMessage(3, 2, 1, Buffer.alloc(4), []);
  const b = encodeMessage(2, 0, 2, Buffer.alloc(6), []); // 22 bytes → next would start at 24
  const messages = decodeMessages(Buffer.concat([a, b, Buffer.alloc(2)]));
  assert.deepEqual(messages.map((m) => [m.type, m.seq, m.body.length]), [[3, 1, 4], [2, 2, 6]]);
});

test('MAC addresses parse to 6 bytes; malformed ones are refused', () => {
  assert.deepEqual([...macBytes('02:42:ac:11:00:02')], [2, 0x42, 0xac, 0x11, 0, 2]);
  assert.throws(() => macBytes('02:42:ac:11:00'), /invalid MAC/);
});
