// IPv4 CIDR arithmetic for the network checks of the clouds (pure).

export interface Cidr { start: number; end: number; prefix: number; }

/** Parses an IPv4 CIDR; undefined when malformed. */
export function parseCidr(s: string): Cidr | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const ip = octets.reduce((a, o) => a * 256 + o, 0);
    return { start: ip, end: ip + 2 ** (32 - prefix) - 1, prefix };
}

/** Parses a plain IPv4 address as a /32. */
export function parseIp(s: string): Cidr | undefined {
    return /\//.test(s) ? undefined : parseCidr(`${s}/32`);
}

/** Whether the address is the network address of its prefix (no host bits set). */
export const isCanonical = (c: Cidr): boolean => c.start % 2 ** (32 - c.prefix) === 0;

export function cidrsOverlap(a: string, b: string): boolean {
    const x = parseCidr(a), y = parseCidr(b);
    return !!x && !!y && x.start <= y.end && y.start <= x.end;
}

/** Whether `inner` (a CIDR or an address) lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
    const o = parseCidr(outer), i = parseCidr(inner) ?? parseIp(inner);
    return !!o && !!i && o.start <= i.start && i.end <= o.end;
}
