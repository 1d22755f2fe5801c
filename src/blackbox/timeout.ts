/**
 * The probe timeout, as blackbox_exporter's getTimeout computes it: the scrape timeout Prometheus
 * sends in `X-Prometheus-Scrape-Timeout-Seconds` (120 s without it) minus an offset (0.5 s), or
 * the module's own timeout when that is shorter (or the header leaves nothing).
 */
export const DEFAULT_SCRAPE_TIMEOUT_SECONDS = 120;
export const DEFAULT_TIMEOUT_OFFSET_SECONDS = 0.5;

/** Milliseconds, or an error message when the header is not a number. */
export function probeTimeoutMs(
  header: string | undefined,
  moduleTimeoutMs: number,
  offsetSeconds: number = DEFAULT_TIMEOUT_OFFSET_SECONDS,
  maxScrapeSeconds: number = Number.POSITIVE_INFINITY,
): number | string {
  let scrapeSeconds = 0;
  if (header !== undefined && header !== '') {
    scrapeSeconds = Number(header.trim());
    if (header.trim() === '' || !Number.isFinite(scrapeSeconds)) return `strconv.ParseFloat: parsing "${header}": invalid syntax`;
  }
  if (scrapeSeconds === 0) scrapeSeconds = DEFAULT_SCRAPE_TIMEOUT_SECONDS;
  // vigil.probe-max-timeout: a caller cannot hold a probe (and its slot) open for longer
  scrapeSeconds = Math.min(scrapeSeconds, maxScrapeSeconds);
  const maxSeconds = scrapeSeconds - offsetSeconds;
  const moduleSeconds = moduleTimeoutMs / 1000;
  const seconds = (moduleSeconds < maxSeconds && moduleSeconds > 0) || maxSeconds < 0 ? moduleSeconds : maxSeconds;
  return Math.round(seconds * 1000);
}
