/**
 * The parts of the Docker Engine API's container shapes the engine understands (field names as Docker spells them).
 * Unknown fields are kept as given so that inspect shows them back.
 */

export interface HealthcheckConfig {
  Test?: string[]; // ["NONE"] | ["CMD", ...] | ["CMD-SHELL", "..."]
  Interval?: number; // nanoseconds
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[] | null;
  Healthcheck?: HealthcheckConfig;
  Image?: string;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  Labels?: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  [other: string]: unknown;
}

export interface MountConfig {
  Type: 'bind' | 'volume' | 'tmpfs' | 'image';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  ImageOptions?: { Subpath?: string };
}

export interface RestartPolicy {
  Name?: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

export interface HostConfig {
  Binds?: string[];
  Mounts?: MountConfig[];
  Tmpfs?: Record<string, string>;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  PidsLimit?: number | null;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Privileged?: boolean;
  Init?: boolean | null;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }> | null;
  Sysctls?: Record<string, string>;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  NetworkMode?: string;
  IpcMode?: string;
  LogConfig?: { Type?: string; Config?: Record<string, string> };
  SecurityOpt?: string[] | null;
  ShmSize?: number;
  ExtraHosts?: string[] | null;
  Dns?: string[] | null;
  DnsSearch?: string[] | null;
  DnsOptions?: string[] | null;
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>;
  PublishAllPorts?: boolean;
  GroupAdd?: string[] | null;
  [other: string]: unknown;
}

/** Per-network settings asked at create (Docker's EndpointSettings subset). */
export interface EndpointConfig {
  Aliases?: string[] | null;
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  MacAddress?: string;
  [other: string]: unknown;
}

export interface CreateContainerBody extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointConfig> };
}
