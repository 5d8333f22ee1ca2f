/**
 * Domain allowlists: an entry `example.com` admits the host `example.com` and every subdomain of it
 * (`app.example.com`), because whoever controls a domain controls its subdomains. Comparison ignores case and
 * a trailing dot; an entry never matches a host that merely ends with the same letters (`badexample.com`).
 */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

export function hostIsAllowed(host: string, allowedDomains: readonly string[]): boolean {
  const candidate = normalizeHost(host);
  return allowedDomains.some((entry) => {
    const domain = normalizeHost(entry).replace(/^\*\./, "");
    return domain !== "" && (candidate === domain || candidate.endsWith(`.${domain}`));
  });
}
