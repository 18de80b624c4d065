import { EventEmitter } from 'node:events';

/** One event as Docker's /events stream carries it. */
export interface EngineEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon';
  Action: string; // create, start, die, stop, kill, destroy, pause, unpause, oom, health_status: healthy, exec_start: ..., ...
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number; // seconds
  timeNano: number;
  // Legacy fields docker still sends for containers
  status?: string;
  id?: string;
  from?: string;
}

/** The engine's event bus: `/events` subscribes, every state change publishes. Keeps a short history for `since`. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly history: EngineEvent[] = [];

  constructor(private readonly historySize = 1000) {
    this.emitter.setMaxListeners(0);
  }

  publish(type: EngineEvent['Type'], action: string, id: string, attributes: Record<string, string> = {}): void {
    const nanos = BigInt(Date.now()) * 1_000_000n;
    const event: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Number(nanos / 1_000_000_000n),
      timeNano: Number(nanos),
      ...(type === 'container' ? { status: action, id, from: attributes.image ?? '' } : {}),
    };
    this.history.push(event);
    if (this.history.length > this.historySize) this.history.shift();
    this.emitter.emit('event', event);
  }

  /** A container's event, with its labels, name and image as attributes (as Docker's; clients filter by label). */
  container(record: { id: string; name: string; imageRef: string; config: { Labels?: Record<string, string> } }, action: string, extra: Record<string, string> = {}): void {
    this.publish('container', action, record.id, { ...(record.config.Labels ?? {}), image: record.imageRef, name: record.name, ...extra });
  }

  since(seconds: number): EngineEvent[] {
    return this.history.filter((e) => e.time >= seconds);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
