import { stringify } from 'yaml';
import { serviceConfigHash } from '../../compose/config-hash.js';
import { renderForConfig } from '../../compose/emit/index.js';
import { toComposeYaml } from '../../compose/emit/text.js';
import type { LoadedProject } from '../../compose/loader.js';
import { listProfiles } from '../../compose/profiles.js';
import { listVariables } from '../../compose/variables.js';
import { isDict, type Dict } from '../../compose/types.js';
import { UserError } from '../../errors.js';
import type { ConfigFlags } from './config.js';

/** What `config` prints, by the first listing flag given (as docker compose checks them), else the whole model. */
export function renderConfigOutput(project: LoadedProject, flags: ConfigFlags, selected: string[]): string {
  const model = selectServices(project.model, selected);
  if (flags.services) return lines(Object.keys(servicesOf(model)));
  if (flags.volumes) return lines(Object.keys(sectionOf(model, 'volumes')));
  if (flags.networks) return lines(Object.keys(sectionOf(model, 'networks')));
  if (flags.profiles) return lines(listProfiles(project.allServicesModel));
  if (flags.models) return lines(Object.entries(sectionOf(model, 'models')).map(([key, m]) => (isDict(m) && typeof m.model === 'string' ? m.model : key)));
  if (flags.images) return lines(Object.entries(servicesOf(model)).map(([name, s]) => imageOf(project.name, name, s)));
  if (flags.hash !== undefined) return renderHashes(model, flags.hash);
  if (flags.variables) return renderVariables(project, flags.format);
  if (flags.environment) return lines([...project.environment.values].map(([k, v]) => `${k}=${v}`));
  if (flags.format === 'json') return JSON.stringify(renderForConfig(model, { format: 'json' }), null, 2) + '\n';

  // Without interpolation docker compose prints the model as a plain map: keys sorted at every level.
  if (!flags.interpolate) return toComposeYaml(sortKeys(renderForConfig(model)));
  return toComposeYaml(renderForConfig(model));
}

function selectServices(model: Dict, selected: string[]): Dict {
  if (selected.length === 0) return model;
  const services = servicesOf(model);
  return { ...model, services: Object.fromEntries(selected.map((name) => [name, services[name]])) };
}

function servicesOf(model: Dict): Dict {
  return sectionOf(model, 'services');
}

function sectionOf(model: Dict, key: string): Dict {
  const section = model[key];
  return isDict(section) ? section : {};
}

/** A service without `image` runs the image its build produces: `<project>-<service>`. */
export function imageOf(projectName: string, serviceName: string, service: unknown): string {
  if (isDict(service) && typeof service.image === 'string') return service.image;
  return `${projectName}-${serviceName}`;
}

function renderHashes(model: Dict, which: string): string {
  const services = servicesOf(model);
  const names = which === '*' ? Object.keys(services).sort() : which.split(',').map((s) => s.trim());
  return lines(
    names.map((name) => {
      const service = services[name];
      if (!isDict(service)) throw new UserError(`no such service: ${name}`);
      return `${name} ${serviceConfigHash(service)}`;
    }),
  );
}

function renderVariables(project: LoadedProject, format: 'yaml' | 'json' | undefined): string {
  const rows = listVariables(project.configFiles);
  // docker compose's own struct, its Go field names (JSON) and lower-cased ones (yaml.v3), indented by 4
  const byName = Object.fromEntries(rows.map((r) => [r.name, { Name: r.name, DefaultValue: r.defaultValue ?? '', PresenceValue: r.alternateValue ?? '', Required: r.required }]));
  if (format === 'json') return JSON.stringify(byName, null, 4) + '\n';
  if (format === 'yaml') {
    const lower = Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, { name: v.Name, defaultvalue: v.DefaultValue, presencevalue: v.PresenceValue, required: v.Required }]));
    return stringify(lower, { indent: 4, lineWidth: 0 });
  }
  const table = [['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'], ...rows.map((r) => [r.name, r.required ? 'true' : 'false', r.defaultValue ?? '', r.alternateValue ?? ''])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return lines(table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]! + 3)).join('').trimEnd()));
}

function lines(items: string[]): string {
  return items.length === 0 ? '' : items.join('\n') + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isDict(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}
