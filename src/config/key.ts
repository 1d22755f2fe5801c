/** Gatus' endpoint key: `<group>_<name>`, each part trimmed and lower-cased, with ` /_,.#+&` replaced by `-`. */
function sanitize(part: string): string {
  return part.trim().toLowerCase().replace(/[ /_.,#+&]/g, '-');
}

export function endpointKey(group: string, name: string): string {
  return `${sanitize(group)}_${sanitize(name)}`;
}
