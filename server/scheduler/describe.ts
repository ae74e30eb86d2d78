// A short English reading of a five-field cron expression for the schedule form ("Every day at
// 06:00", "Every 15 minutes, Monday to Friday"). Covers the shapes people write; anything else
// falls back to naming each field, which is still more readable than the raw text.
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

const isNum = (s: string) => /^\d+$/.test(s);
const pad = (n: string | number) => String(n).padStart(2, "0");
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function named(field: string, names: Record<string, number>, label: (n: number) => string): string {
  return listOf(field.split(",").map((part) => {
    const [a, b] = part.split("-").map((x) => (isNum(x) ? Number(x) : names[x.toLowerCase()] ?? NaN));
    if (Number.isNaN(a) || (b !== undefined && Number.isNaN(b))) return part;
    return b === undefined ? label(a) : `${label(a)} to ${label(b)}`;
  }));
}

function dayPart(dom: string, month: string, dow: string): string {
  const parts: string[] = [];
  if (dow !== "*" && dow !== "?") parts.push(named(dow, DAY_NAMES, (n) => DAYS[n % 7]));
  if (dom !== "*" && dom !== "?") {
    parts.push(dom === "L" ? "on the last day of the month" : `on day ${listOf(dom.split(",").map((d) => (isNum(d) ? ordinal(Number(d)) : d)))} of the month`);
  }
  if (month !== "*") parts.push(`in ${named(month, MONTH_NAMES, (n) => MONTHS[n - 1] ?? String(n))}`);
  return parts.length ? `, ${parts.join(", ")}` : "";
}

/**
 * Example: describeCron("0 6 * * 1-5") === "At 06:00, Monday to Friday";
 * describeCron("*\/15 * * * *") === "Every 15 minutes".
 */
export function describeCron(cron: string): string {
  const text = cron.trim();
  const fields = (NICKNAMES[text.toLowerCase()] ?? text).split(/\s+/);
  if (fields.length !== 5) return text;
  const [min, hour, dom, month, dow] = fields;
  const days = dayPart(dom, month, dow);
  const every = (/^\*\/(\d+)$/.exec(min) ?? [])[1];
  const everyHour = (/^\*\/(\d+)$/.exec(hour) ?? [])[1];

  if (min === "*" && hour === "*") return `Every minute${days}`;
  if (every && hour === "*") return `Every ${every} minutes${days}`;
  if (isNum(min) && hour === "*") return `At minute ${Number(min)} of every hour${days}`;
  if (isNum(min) && everyHour) return `At minute ${Number(min)} of every ${everyHour} hours${days}`;
  if (isNum(min) && /^\d+(,\d+)*$/.test(hour)) {
    return `At ${listOf(hour.split(",").map((h) => `${pad(h)}:${pad(min)}`))}${days || ", every day"}`;
  }
  if (every && /^\d+-\d+$/.test(hour)) {
    const [a, b] = hour.split("-");
    return `Every ${every} minutes between ${pad(a)}:00 and ${pad(b)}:59${days}`;
  }
  return `Minute ${min}, hour ${hour}${days}`;
}
