import type { ContainerCgroup } from '../../runtime/cgroups/types.js';
import type { BeforeGo } from '../../runtime/launch-stage.js';

/** How a stage gets into a container's cgroups: it joins them itself where it can (v1), else the engine moves it. */
export function cgroupPlacement(cgroup: ContainerCgroup): { joinCgroups: string[] } | { beforeGo: BeforeGo } {
  const files = cgroup.selfJoinFiles();
  return files ? { joinCgroups: files } : { beforeGo: (pid) => cgroup.addProcess(pid) };
}
