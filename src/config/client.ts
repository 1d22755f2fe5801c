/** Gatus `client:` of an endpoint → ProbeOptions, defaults applied. */
import type { OAuth2Options, ProbeOptions } from '../probe/types.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS } from './schema.js';
import { GATUS_CLIENT_IGNORED, GATUS_CLIENT_REFUSED, GATUS_CLIENT_TLS_IGNORED } from './gatus-keys.js';
import { scalarText } from './reader.js';
import type { Section } from './reader.js';

const NETWORKS = ['ip', 'ip4', 'ip6'] as const;

/** Gatus' rule: `{proto}://{host}:{port}`, port 1–65535. */
const DNS_RESOLVER = /^(tcp|udp):\/\/([A-Za-z0-9\-.]+|\[[0-9a-fA-F:.]+\]):([0-9]+)$/;

export function readClient(section: Section): ProbeOptions {
  section.checkKeys({
    known: [
      'timeout', 'insecure', 'ignore-redirect', 'dns-resolver', 'network', 'tls', 'proxy-url',
      'max-redirects', 'max-body-size', 'oauth2', 'ignore-body-errors',
    ],
    ignored: GATUS_CLIENT_IGNORED,
    refused: GATUS_CLIENT_REFUSED,
    gatus: true,
  });
  const timeoutMs = section.durationMs('timeout', DEFAULT_TIMEOUT_MS);
  if (timeoutMs < 1 && section.has('timeout')) section.error('timeout', 'must be at least 1ms');
  const options: ProbeOptions = {
    timeoutMs: timeoutMs < 1 ? DEFAULT_TIMEOUT_MS : timeoutMs,
    insecure: section.bool('insecure', false),
    followRedirects: !section.bool('ignore-redirect', false),
    maxRedirects: section.int('max-redirects', DEFAULT_MAX_REDIRECTS, 0),
    maxBodyBytes: section.int('max-body-size', DEFAULT_MAX_BODY_BYTES, 1),
    network: section.oneOf('network', NETWORKS, 'ip'),
    ignoreBodyErrors: section.bool('ignore-body-errors', false),
  };
  if (section.has('dns-resolver')) {
    const resolver = section.str('dns-resolver');
    const m = DNS_RESOLVER.exec(resolver);
    const port = Number(m?.[3] ?? 0);
    if (m === null) section.error('dns-resolver', 'invalid DNS resolver: expected {tcp|udp}://{host}:{port}');
    else if (m[1] === 'tcp') section.error('dns-resolver', 'DNS over tcp:// is not implemented by vigil (its resolver queries over UDP): use udp://');
    else if (port < 1 || port > 65535) section.error('dns-resolver', 'invalid DNS resolver port: must be between 1 and 65535');
    else options.dnsResolver = resolver;
  }
  if (section.has('proxy-url')) {
    const proxy = section.str('proxy-url');
    if (!URL.canParse(proxy)) section.error('proxy-url', 'invalid URL');
    else options.proxyUrl = proxy;
    const scheme = URL.canParse(proxy) ? new URL(proxy).protocol : 'http:';
    if (scheme !== 'http:') {
      const path = section.child('proxy-url');
      section.issues.warnOnce(path, section.locOf('proxy-url'), path, `only http:// proxies are supported; HTTP probes through this ${scheme.replace(/:$/, '')} proxy fail`);
    }
  }
  if (section.has('oauth2')) {
    const oauth2 = readOAuth2(section.section('oauth2'));
    if (oauth2 !== undefined) options.oauth2 = oauth2;
  }
  if (section.has('tls')) {
    const tls = section.section('tls');
    tls.checkKeys({ known: ['certificate-file', 'private-key-file'], ignored: GATUS_CLIENT_TLS_IGNORED, gatus: true });
    const certificateFile = tls.str('certificate-file');
    const privateKeyFile = tls.str('private-key-file');
    if ((certificateFile === '') !== (privateKeyFile === '')) {
      tls.error(certificateFile === '' ? 'certificate-file' : 'private-key-file', 'certificate-file and private-key-file must be set together');
    }
    if (certificateFile !== '' && privateKeyFile !== '') options.tls = { certificateFile, privateKeyFile };
  }
  return options;
}

/** Gatus `client.oauth2` (client-credentials grant): every field is required, as in Gatus. */
function readOAuth2(section: Section): OAuth2Options | undefined {
  section.checkKeys({ known: ['token-url', 'client-id', 'client-secret', 'scopes'], gatus: true });
  const tokenUrl = section.required('token-url');
  let urlValid = tokenUrl !== '';
  if (urlValid && !/^https?:\/\//i.test(tokenUrl)) {
    section.error('token-url', 'must be an http:// or https:// URL');
    urlValid = false;
  } else if (urlValid && !URL.canParse(tokenUrl)) {
    section.error('token-url', 'invalid URL');
    urlValid = false;
  }
  const clientId = section.required('client-id');
  const clientSecret = section.required('client-secret');
  const scopes: string[] = [];
  const scopeNodes = section.list('scopes');
  if (!section.has('scopes')) section.issues.error(section.loc, section.child('scopes'), 'required');
  else if (section.get('scopes')?.kind === 'seq' && scopeNodes.length === 0) section.error('scopes', 'must list at least one scope');
  scopeNodes.forEach((node, index) => {
    if (node.kind === 'scalar' && node.value !== null && scalarText(node).trim() !== '') scopes.push(scalarText(node));
    else section.issues.error(node.loc, `${section.child('scopes')}[${index}]`, 'expected a non-empty string');
  });
  if (!urlValid || clientId.trim() === '' || clientSecret.trim() === '' || scopes.length === 0) return undefined;
  return { tokenUrl, clientId, clientSecret, scopes };
}
