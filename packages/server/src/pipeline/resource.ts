import type { Resource } from '@pyflare/otlp';
import { flattenAttributes } from './attributes.ts';
import { valueToText } from './attributes.ts';
import { MAX_NAME_CHARS, clip } from './limits.ts';

export const UNKNOWN_SERVICE = 'unknown_service';

/** What every row of one resource shares; computed once per resource, not per item. */
export interface ResourceInfo {
  serviceName: string;
  environment: string;
  map: Record<string, string>;
  json: string;
}

export function resourceInfo(resource: Resource): ResourceInfo {
  const attrs = resource.attributes;
  const service = attrs['service.name'];
  const env = attrs['deployment.environment.name'] ?? attrs['deployment.environment'];
  const serviceName = service == null ? '' : clip(valueToText(service), MAX_NAME_CHARS);
  const { map, json } = flattenAttributes(attrs);
  return {
    serviceName: serviceName === '' ? UNKNOWN_SERVICE : serviceName,
    environment: env == null ? '' : clip(valueToText(env), MAX_NAME_CHARS),
    map,
    json,
  };
}
