/** The container's /etc/resolv.conf and /etc/hosts, as Docker writes them (pure text builders). */

export interface ResolvInput {
  /** Host's /etc/resolv.conf text. */
  hostResolvConf: string;
  /** Where our DNS server listens for this container (its first user-defined network's gateway), if any. */
  embeddedDns?: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

export function resolvConf(input: ResolvInput): string {
  const host = parseResolvConf(input.hostResolvConf);
  const servers = input.dns.length > 0 ? input.dns : input.embeddedDns ? [input.embeddedDns] : host.nameservers.filter((s) => !/^(127\.|::1$)/.test(s));
  const search = input.dnsSearch.length > 0 ? input.dnsSearch : host.search;
  const options = input.dnsOptions.length > 0 ? input.dnsOptions : host.options;
  return [
    ...servers.map((s) => `nameserver ${s}`),
    ...(search.length > 0 ? [`search ${search.join(' ')}`] : []),
    ...(options.length > 0 ? [`options ${options.join(' ')}`] : []),
    '',
  ].join('\n');
}

function parseResolvConf(text: string): { nameservers: string[]; search: string[]; options: string[] } {
  const out = { nameservers: [] as string[], search: [] as string[], options: [] as string[] };
  for (const line of text.split('\n')) {
    const [key, ...values] = line.trim().split(/\s+/);
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    else if (key === 'search' || key === 'domain') out.search = values;
    else if (key === 'options') out.options.push(...values);
  }
  return out;
}

export interface HostsInput {
  hostname: string;
  domainname: string;
  /** The container's address on its first network (none: 127.0.1.1 style line is skipped). */
  address?: string;
  /** "name:ip" (Docker's form; "name=ip" accepted too); `host-gateway` means `gateway`. */
  extraHosts: string[];
  gateway?: string;
}

export function hostsFile(input: HostsInput): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const entry of input.extraHosts) {
    const at = entry.search(/[:=]/);
    if (at < 0) continue;
    const ip = entry.slice(at + 1);
    lines.push(`${ip === 'host-gateway' ? input.gateway ?? '' : ip}\t${entry.slice(0, at)}`);
  }
  const names = input.domainname ? `${input.hostname}.${input.domainname} ${input.hostname}` : input.hostname;
  if (input.address) lines.push(`${input.address}\t${names}`);
  return `${lines.join('\n')}\n`;
}
