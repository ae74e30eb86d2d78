// A second scheduler instance in its own process, for the race tests: as a second app process
// on the same database would, it opens its own connection; the test drives its clock over IPC
// ({ now: ISO } -> { fired }) so both instances tick at the same simulated instant.
import { createDb } from "../../db";
import { Scheduler } from "../scheduler";

const [file, root] = process.argv.slice(2);
const db = createDb(`file:${file}`, root);
let now = new Date(0);
const scheduler = new Scheduler({ db, now: () => now, log: () => {} });

process.on("message", (m: { now?: string; stop?: boolean }) => {
  if (m.stop) {
    void db.$disconnect().then(() => process.exit(0));
    return;
  }
  now = new Date(m.now!);
  scheduler.tick().then(
    (fired) => process.send!({ fired: fired.map((f) => ({ ...f, slot: f.slot.toISOString() })), lostClaims: scheduler.lostClaims }),
    (e) => process.send!({ error: e instanceof Error ? e.message : String(e) }),
  );
});
process.send!({ ready: true });
