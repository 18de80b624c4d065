import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeGoTemplate as run, formatInspect, formatRows, GoTemplate, tabwrite } from '../../src/cli/format/go-template.js';

const container = {
  Id: 'abc123',
  Name: '/web-1',
  Args: ['-c', 'sleep 1'],
  Config: { Image: 'busybox', Labels: { foo: 'bar', 'com.docker.compose.project': 'p' }, Env: ['A=1', 'B=2'] },
  HostConfig: { IpcMode: 'shareable', Memory: 0 },
  NetworkSettings: {
    Networks: {
      p_default: { IPAddress: '10.1.0.100', MacAddress: '00:e0:84:35:d0:e8', IPAMConfig: { IPv4Address: '10.1.0.100' } },
      p_back: { IPAddress: '10.2.0.3', MacAddress: '', IPAMConfig: null },
    },
    Ports: {},
  },
  State: { Running: true, ExitCode: 0, Health: null },
};

test('fields, chains, map keys, dot', () => {
  assert.equal(run('{{.Id}}', container), 'abc123');
  assert.equal(run('{{.HostConfig.IpcMode}}', container), 'shareable');
  assert.equal(run('{{.Config.Labels.foo}}', container), 'bar');
  assert.equal(run('{{.}}', 'plain'), 'plain');
  assert.equal(run('{{ .Config.Image }}!', container), 'busybox!');
  assert.equal(run('{{$.Id}}', container), 'abc123');
});

test('a missing struct field is an error; a missing map key is <no value>', () => {
  assert.throws(() => run('{{.Foo}}', container), { message: 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo' });
  assert.throws(() => run('x\n  {{.Config.Nope}}', container), /template: :2:4: executing "" at <.Config.Nope>: can't evaluate field Nope/);
  assert.throws(() => run('{{.Id.X}}', container), /can't evaluate field X in type string/);
  assert.throws(() => run('{{.State.Health.Status}}', container), /nil pointer evaluating interface \{\}.Status/);
  assert.equal(run('{{.Config.Labels.nope}}', container), '<no value>');
  assert.equal(run('{{.Config.Labels.nope.deeper}}', container), '<no value>');
  assert.throws(() => run('{{.Nope}}', {}), /can't evaluate field Nope/);
  assert.equal(run('{{.Nope}}', {}, { rootIsStruct: false }), '<no value>');
});

test('printing values as fmt %v does', () => {
  assert.equal(run('{{.Args}}', container), '[-c sleep 1]');
  assert.equal(run('{{.Config.Labels}}', container), 'map[com.docker.compose.project:p foo:bar]');
  assert.equal(run('{{.State}}', container), '{true 0 <nil>}');
  assert.equal(run('{{.State.Health}} {{.HostConfig.Memory}} {{.State.Running}}', container), '<nil> 0 true');
  assert.equal(run('{{1.5}} {{0x10}} {{-3}} {{1e-7}} {{\'a\'}}', {}), '1.5 16 -3 1e-07 97');
});

test('docker functions: json, join, split, title, lower, upper, truncate, pad, println', () => {
  assert.equal(run('{{json .Config.Labels}}', container), '{"com.docker.compose.project":"p","foo":"bar"}');
  assert.equal(run('{{json .HostConfig}}', container), '{"IpcMode":"shareable","Memory":0}');
  assert.equal(run('{{json "<a&b>"}}', {}), '"<a&b>"');
  assert.equal(run('{{json .Config.Labels.nope}}', container), 'null');
  assert.equal(run('{{join .Args ", "}}', container), '-c, sleep 1');
  assert.equal(run('{{split "a:b:c" ":"}}', {}), '[a b c]');
  assert.equal(run('{{index (split .Config.Image "u") 1}}', container), 'sybox');
  assert.equal(run('{{title "hello big-world"}} {{lower "ABC"}} {{upper "abc"}}', {}), 'Hello Big-World abc ABC');
  assert.equal(run('{{truncate "abcdef" 3}}|{{truncate "ab" 3}}', {}), 'abc|ab');
  assert.equal(run('[{{pad "x" 2 1}}][{{pad "" 2 1}}]', {}), '[  x ][]');
  assert.equal(run('{{range .Config.Env}}{{println .}}{{end}}', container), 'A=1\nB=2\n');
  assert.equal(run('{{println "a" 1 true}}', {}), 'a 1 true\n');
  assert.throws(() => run('{{upper .HostConfig.Memory}}', container), /wrong type for value; expected string; got int/);
});

test("Go's functions: index, len, printf, print, slice, comparisons and logic", () => {
  assert.equal(run('{{ index .Config.Labels "foo" }}', container), 'bar');
  assert.equal(run('{{ index .Config.Labels "missing" }}', container), '');
  assert.equal(run('{{ index .Args 1 }}', container), 'sleep 1');
  assert.throws(() => run('{{ index .Args 5 }}', container), /at <index .Args 5>: error calling index: index out of range: 5/);
  assert.equal(run('{{ (index .NetworkSettings.Networks "p_default" ).MacAddress }}', container), '00:e0:84:35:d0:e8');
  assert.equal(run('{{len .Args}} {{len .Config.Labels}} {{len "héllo"}}', container), '2 2 6');
  assert.equal(run('{{printf "%s=%d (%v) %q %5s|%-4d|%05.1f%%" "a" 3 .Args "q" "r" 7 3.14159}}', container), 'a=3 ([-c sleep 1]) "q"     r|7   |003.1%');
  assert.equal(run('{{printf "%d" "x"}} {{printf "%s"}} {{printf "a" 1}}', {}), '%!d(string=x) %!s(MISSING) a%!(EXTRA int=1)');
  assert.equal(run('{{print "a" "b" 1 2 "c"}}', {}), 'ab1 2c');
  assert.equal(run('{{slice "abcdef" 1 3}} {{slice .Args 1}}', container), 'bc [sleep 1]');
  assert.equal(run('{{eq .HostConfig.IpcMode "shareable"}} {{eq 1 2 3 1}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', container), 'true true true true true true false');
  assert.throws(() => run('{{eq 1 "1"}}', {}), /incompatible types for comparison/);
  assert.equal(run('{{and 1 0 "x"}} {{and 1 "x"}} {{or "" 0}} {{or "" "y"}} {{not ""}}', {}), '0 x 0 y true');
  // and/or stop at the deciding argument: the erroring field after it is never evaluated
  assert.equal(run('{{or .Id .Nope}} {{and .State.Health .Nope}}', container), 'abc123 <nil>');
});

test('if / else if / else, with, variables', () => {
  const t = '{{if eq .X 1}}one{{else if eq .X 2}}two{{else}}many{{end}}';
  assert.deepEqual([1, 2, 3].map((X) => run(t, { X })), ['one', 'two', 'many']);
  assert.equal(run('{{if .Config.Labels.nope}}y{{else}}n{{end}}', container), 'n');
  assert.equal(run('{{if .Args}}[{{end}}{{if .NetworkSettings.Ports}}no{{end}}{{if .State}}]{{end}}', container), '[]');
  assert.equal(run('{{with .HostConfig}}{{.IpcMode}}{{end}}{{with .Config.Labels.nope}}x{{else}}-{{end}}', container), 'shareable-');
  assert.equal(run('{{with $h := .HostConfig}}{{$h.IpcMode}}{{end}}', container), 'shareable');
  assert.equal(run('{{ $network := index .NetworkSettings.Networks "p_default" }}{{ $network.IPAMConfig.IPv4Address }}', container), '10.1.0.100');
  assert.equal(run('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', {}), '2');
  assert.throws(() => new GoTemplate('{{$y}}'), /undefined variable "\$y"/);
  assert.throws(() => new GoTemplate('{{if true}}{{$z := 1}}{{end}}{{$z}}'), /undefined variable "\$z"/);
});

test('range over arrays, maps and integers; $i, $v; else; break and continue', () => {
  assert.equal(run('{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', container), '10.2.0.3 10.1.0.100 ');
  assert.equal(run('{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}', container), 'com.docker.compose.project=p;foo=bar;');
  assert.equal(run('{{range $i, $e := .Args}}{{$i}}:{{$e}} {{end}}', container), '0:-c 1:sleep 1 ');
  assert.equal(run('{{range $e := .Args}}<{{$e}}>{{end}}', container), '<-c><sleep 1>');
  assert.equal(run('{{range .Nothing}}x{{else}}empty{{end}}', { Nothing: [] }), 'empty');
  assert.equal(run('{{range .N}}x{{else}}none{{end}}', { N: null }), 'none');
  assert.equal(run('{{range 3}}{{.}}{{end}}', {}), '012');
  assert.equal(run('{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', [1, 2, 3, 4, 5], { rootIsStruct: false }), '13');
  assert.equal(run('{{range .Config.Env}}{{$.Id}}/{{.}} {{end}}', container), 'abc123/A=1 abc123/B=2 ');
});

test('pipelines, parentheses, trim markers, comments, literals', () => {
  assert.equal(run('{{.Config.Labels | json}}', container), '{"com.docker.compose.project":"p","foo":"bar"}');
  assert.equal(run('{{.Id | printf "%s-%s" "x"}}', container), 'x-abc123');
  assert.equal(run('{{"," | split "x,y,z"}}', {}), '[x y z]');
  assert.equal(run('{{.Config.Image | upper | printf "<%s>"}}', container), '<BUSYBOX>');
  assert.equal(run('{{len (index .NetworkSettings.Networks "p_default").IPAddress}}', container), '10');
  assert.equal(run('a  {{- 1 -}}  b\n{{- /* gone */ -}}\n c', {}), 'a1bc');
  assert.equal(run('{{/* note */}}x{{- 3}}', {}), 'x3');
  assert.equal(run('{{"a\\tb\\u00e9"}}|{{`raw\\n`}}', {}), 'a\tbé|raw\\n');
  assert.equal(run('{{json nil}}{{true}}', {}), 'nulltrue');
  assert.throws(() => run('{{nil | json}}', {}), /nil is not a command/);
});

test('parse and execution errors read as Go writes them', () => {
  assert.throws(() => new GoTemplate('{{foo .A}}'), { message: 'template: :1: function "foo" not defined' });
  assert.throws(() => new GoTemplate('{{if .A}}x'), /template: :1: unexpected EOF/);
  assert.throws(() => new GoTemplate('{{end}}'), /unexpected \{\{end\}\}/);
  assert.throws(() => new GoTemplate('{{.A'), /unclosed action/);
  assert.throws(() => new GoTemplate('{{"abc}}'), /unterminated quoted string/);
  assert.throws(() => new GoTemplate('{{break}}'), /outside \{\{range\}\}/);
  assert.throws(() => new GoTemplate('{{define "x"}}{{end}}'), /not supported/);
  assert.throws(() => run('{{.Id 1}}', container), /can't give argument to non-function|not a method/);
});

test('formatRows: one line per row, \\t and \\n escapes, the table directive with docker headers', () => {
  const rows = [
    { ID: 'abc', Names: 'web-1', Image: 'nginx:latest' },
    { ID: 'defghi', Names: 'db', Image: 'postgres' },
  ];
  assert.equal(formatRows('{{.Names}}\\t{{.Image}}', rows), 'web-1\tnginx:latest\ndb\tpostgres\n');
  assert.equal(formatRows('{{.Names}}\\n', rows), 'web-1\n\ndb\n\n');
  assert.equal(formatRows('{{json .}}', rows.slice(0, 1)), '{"ID":"abc","Names":"web-1","Image":"nginx:latest"}\n');
  const headers = { ID: 'CONTAINER ID', Names: 'NAMES', Image: 'IMAGE' };
  assert.equal(
    formatRows('table {{.ID}}\\t{{.Names}}\\t{{.Image}}', rows, { headers }),
    'CONTAINER ID   NAMES     IMAGE\n' + 'abc            web-1     nginx:latest\n' + 'defghi         db        postgres\n',
  );
  // header functions keep the title; the header row alone when there are no rows
  assert.equal(formatRows('table {{.Names | upper}}\\t{{json .Image}}', [], { headers }), 'NAMES     IMAGE\n');
  assert.equal(formatRows('table {{.RunningFor}}', [{ RunningFor: '2 minutes ago' }]), 'RUNNING FOR\n2 minutes ago\n');
  assert.throws(() => formatRows('{{.Nope}}', rows), /template parsing error: template: :1:2: executing "" at <.Nope>: can't evaluate field Nope/);
});

test('formatInspect: the template over whole inspect objects', () => {
  assert.equal(formatInspect('{{.HostConfig.IpcMode}}', [container, { ...container, HostConfig: { IpcMode: 'private' } }]), 'shareable\nprivate\n');
  assert.equal(formatInspect('{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', [container]), '10.2.0.3 10.1.0.100 \n');
  assert.equal(formatInspect('{{ index .Config.Labels "foo" }}', [container]), 'bar\n');
});

test("tabwrite: docker's tabwriter settings (min width 10, padding 3)", () => {
  assert.equal(tabwrite('a\tb\tc\nlonger-cell-here\tx\ty\n'), 'a                  b         c\nlonger-cell-here   x         y\n');
  // a line without tabs ends the column block above it
  assert.equal(tabwrite('a\tb\nplain\nccc\td\n'), 'a         b\nplain\nccc       d\n');
});
