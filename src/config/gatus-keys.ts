/**
 * Gatus keys vigil accepts so that a real Gatus config loads unchanged, but does not
 * implement: each is reported once as a warning. Anything in neither list is an error.
 */

/** Gatus alerting providers (`alerting.<name>`); their names are the valid `alerts[].type`s. */
export const ALERT_PROVIDERS = [
  'aws-ses', 'clickup', 'custom', 'datadog', 'discord', 'email', 'github', 'gitlab', 'gitea',
  'googlechat', 'gotify', 'homeassistant', 'ifttt', 'ilert', 'incident-io', 'line', 'matrix',
  'mattermost', 'messagebird', 'newrelic', 'n8n', 'ntfy', 'opsgenie', 'pagerduty', 'plivo',
  'pushover', 'rocketchat', 'sendgrid', 'signal', 'signl4', 'slack', 'splunk', 'squadcast',
  'teams', 'teams-workflows', 'telegram', 'twilio', 'vonage', 'webex', 'zapier', 'zulip',
] as const;

export const GATUS_TOP_LEVEL_IGNORED = [
  'debug', 'skip-invalid-config-update', 'disable-monitoring-lock', 'concurrency', 'suites',
  'remote',
] as const;

/** Gatus URL schemes vigil cannot probe (Node has no SCTP sockets): such endpoints load disabled. */
export const GATUS_SCHEMES_UNPROBED: readonly string[] = ['sctp'];

export const GATUS_ENDPOINT_IGNORED = ['store', 'always-run'] as const;

export const GATUS_ALERT_IGNORED = ['provider-override'] as const;

/** Gatus `alerts[].minimum-reminder-interval`: Alertmanager's route `repeat_interval` does this. */
export const REMINDER_INTERVAL_REASON =
  "not used: Alertmanager re-notifies a firing alert every repeat_interval of its route (alertmanager.yml ships 4h); set it there";

export const GATUS_CLIENT_IGNORED = ['store-cookies'] as const;

/** Gatus client settings whose absence would probe something else (directly, unauthenticated). */
export const GATUS_CLIENT_REFUSED: Readonly<Record<string, string>> = {
  tunnel: 'SSH tunnels (client.tunnel) are not implemented by vigil, which would probe the target directly instead: remove it, or run vigil where it reaches the target',
  'identity-aware-proxy': 'identity-aware-proxy (Google IAP tokens) is not implemented by vigil, which would probe without the token: remove it, or use headers with a token',
};

/** Top-level Gatus settings vigil refuses. */
export const GATUS_TOP_LEVEL_REFUSED: Readonly<Record<string, string>> = {
  tunneling: 'SSH tunnels (tunneling) are not implemented by vigil, which would probe the targets directly instead: remove it, or run vigil where it reaches the targets',
  connectivity:
    'connectivity checks are not implemented by vigil, which would alert about every endpoint while its own network is down: remove it ' +
    '(a Watchdog alert and the quorum rules in examples/prometheus cover a replica that lost its network)',
};

export const GATUS_CLIENT_TLS_IGNORED = ['renegotiation'] as const;

export const GATUS_SITE_UI_IGNORED = ['login-subtitle'] as const;

export const GATUS_WEB_IGNORED = ['read-buffer-size'] as const;

export const GATUS_BASIC_REFUSED: Readonly<Record<string, string>> = {
  'password-sha512': 'removed from Gatus and not supported: use password-bcrypt-base64 (the base64 of a bcrypt hash)',
};
