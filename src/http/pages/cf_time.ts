/**
 * CF time coordinates as dates, for labels: "UNIT since DATE" in the calendars xarray decodes
 * (standard, gregorian and proleptic_gregorian as the proleptic Gregorian calendar; noleap,
 * all_leap and 360_day by their own rules). Anything else stays a number with its units.
 */

const UNIT_SECONDS: Record<string, number> = {
  microsecond: 1e-6,
  millisecond: 1e-3,
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  week: 7 * 86400,
};

function unitSeconds(unit: string): number | undefined {
  const u = unit.toLowerCase().replace(/s$/, "");
  const alias: Record<string, string> = {
    sec: "second",
    min: "minute",
    hr: "hour",
    h: "hour",
    d: "day",
  };
  return UNIT_SECONDS[alias[u] ?? u];
}

interface Parsed {
  seconds: number;
  y: number;
  mo: number;
  d: number;
  s: number; // seconds into the reference day
  offsetMin: number;
}

function parse(units: string): Parsed | undefined {
  const m =
    /^\s*(\w+)\s+since\s+(-?\d{1,4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i
      .exec(units);
  if (!m) return undefined;
  const seconds = unitSeconds(m[1]);
  if (seconds === undefined) return undefined;
  let offsetMin = 0;
  const tz = m[8];
  if (tz && !/^(Z|UTC)$/i.test(tz)) {
    const t = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(tz)!;
    offsetMin = (t[1] === "-" ? -1 : 1) * (Number(t[2]) * 60 + Number(t[3] ?? 0));
  }
  return {
    seconds,
    y: Number(m[2]),
    mo: Number(m[3]),
    d: Number(m[4]),
    s: Number(m[5] ?? 0) * 3600 + Number(m[6] ?? 0) * 60 + Number(m[7] ?? 0),
    offsetMin,
  };
}

const pad = (n: number, w = 2) => String(Math.trunc(n)).padStart(w, "0");

function clock(secondsOfDay: number): string {
  const s = Math.round(secondsOfDay);
  const hms = `${pad(s / 3600)}:${pad((s % 3600) / 60)}`;
  return s % 60 ? `${hms}:${pad(s % 60)}` : hms;
}

/** Days in each month of a fixed-length-year calendar. */
function fixedYear(calendar: string): number[] | undefined {
  switch (calendar) {
    case "noleap":
    case "365_day":
      return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    case "all_leap":
    case "366_day":
      return [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    case "360_day":
      return Array(12).fill(30);
  }
  return undefined;
}

/** `value` (in `units`, a CF "since" unit) as an ISO-like date, or undefined when not a time. */
export function cfDate(value: number, units: string, calendar = "standard"): string | undefined {
  const p = parse(units);
  if (!p || !Number.isFinite(value)) return undefined;
  const cal = calendar.toLowerCase();
  const delta = value * p.seconds - p.offsetMin * 60;
  if (["standard", "gregorian", "proleptic_gregorian"].includes(cal)) {
    const ms = Date.UTC(p.y, p.mo - 1, p.d) + (p.s + delta) * 1000;
    const when = new Date(ms);
    if (Number.isNaN(when.getTime())) return undefined;
    const day = `${pad(when.getUTCFullYear(), 4)}-${pad(when.getUTCMonth() + 1)}-${
      pad(when.getUTCDate())
    }`;
    const s = ((ms / 1000) % 86400 + 86400) % 86400;
    return s ? `${day} ${clock(s)}` : day;
  }
  const months = fixedYear(cal);
  if (!months) return undefined;
  const yearDays = months.reduce((a, b) => a + b, 0);
  let dayOfYear = months.slice(0, p.mo - 1).reduce((a, b) => a + b, 0) + p.d - 1;
  const total = p.s + delta + dayOfYear * 86400;
  const days = Math.floor(total / 86400);
  const s = total - days * 86400;
  let y = p.y + Math.floor(days / yearDays);
  dayOfYear = ((days % yearDays) + yearDays) % yearDays;
  let mo = 0;
  while (dayOfYear >= months[mo]) dayOfYear -= months[mo++];
  if (mo >= 12) [mo, y] = [0, y + 1];
  const day = `${pad(y, 4)}-${pad(mo + 1)}-${pad(dayOfYear + 1)}`;
  return s ? `${day} ${clock(s)}` : day;
}
