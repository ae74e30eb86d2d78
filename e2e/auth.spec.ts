// Sign-in, roles and workspaces against the real app started by this spec with ETL_AUTH=on and
// a fresh database (the global webServer runs without sign-in): the first visit creates the
// admin; the admin makes a workspace, pipelines in two workspaces and invitations; an invited
// viewer sees the pipeline read-only and the API refuses its edits and runs (403); an invited
// editor sees only its workspace's pipelines; sign-out, a wrong password and a sign-up without
// an invitation fail clearly. A second app (port + 2) starts in single-user mode, where
// "Turn on sign-in" creates the admin and signs the browser in.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";

test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1500, height: 950 } });

const root = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.ETL_E2E_AUTH_PORT ?? 3120);
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = "correct horse battery staple";
const ADMIN = "admin@example.org";
const EDITOR = "editor@example.org";
const VIEWER = "viewer@example.org";

const ids: { def?: string; teamB?: string } = {};
const links: { editor?: string; viewer?: string } = {};

interface App { stop: () => Promise<void> }

/** The real app (server/main.ts) on `port` with a fresh data dir; no Ray, run monitor, scheduler or preview worker. */
async function startApp(port: number, env: Record<string, string>): Promise<App> {
  const built = spawnSync("node", ["scripts/build-if-needed.mjs"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("next build failed");
  const dir = path.join(root, ".cache", `e2e-auth-${port}`);
  fs.rmSync(dir, { recursive: true, force: true });
  let log = "";
  const child: ChildProcess = spawn("node", ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env, ...env, PORT: String(port), ETL_DATA_DIR: dir, NEXT_TELEMETRY_DISABLED: "1",
      // Nothing here runs a pipeline.
      RAY_ADDRESS: "http://127.0.0.1:9", ETL_RUN_MONITOR: "0", ETL_SCHEDULER: "0", ETL_PREVIEW_WORKER: "0",
    },
  });
  child.stdout!.on("data", (d) => { log += d; });
  child.stderr!.on("data", (d) => { log += d; });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${log}`);
    if (await fetch(`http://127.0.0.1:${port}/api/health`).then(() => true, () => false)) return { stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not answer within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

let app: App | null = null;

test.beforeAll(async () => {
  test.setTimeout(900_000);
  app = await startApp(PORT, { ETL_AUTH: "on" });
});

test.afterAll(async () => {
  await app?.stop();
});

async function signUpVia(page: Page, url: string, name: string, email?: string) {
  await page.goto(url);
  const form = page.getByRole("form", { name: "Sign up" });
  await form.getByLabel("Name").fill(name);
  if (email) await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByLabel("Repeat password").fill(PASSWORD);
  await form.getByRole("button").click();
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${BASE}/sign-in`);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

/** A tRPC call from inside the page, with the page's cookies, as a script on the page would make it. */
async function apiStatus(page: Page, procedure: string, input: unknown, method: "GET" | "POST" = "POST"): Promise<number> {
  return page.evaluate(async ({ procedure, input, method }) => {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const url = method === "GET" ? `/api/trpc/${procedure}${query}` : `/api/trpc/${procedure}`;
    const res = await fetch(url, method === "GET" ? {} : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
    return res.status;
  }, { procedure, input, method });
}

async function newPipeline(page: Page, name: string, workspace: string): Promise<string> {
  await page.goto(`${BASE}/pipelines`);
  await page.getByRole("button", { name: "New pipeline" }).click();
  const dialog = page.getByRole("dialog", { name: "New pipeline" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Workspace").selectOption({ label: workspace });
  await dialog.getByRole("button", { name: "Create" }).click();
  await page.waitForURL(/\/pipelines\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

async function invite(page: Page, email: string, role: string, workspace: string): Promise<string> {
  const form = page.getByRole("form", { name: "Invite" });
  await form.getByLabel("Email to invite").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByLabel("Workspace").selectOption({ label: workspace });
  await form.getByRole("button", { name: "Create invitation" }).click();
  const region = page.getByRole("region", { name: "Invitation link" });
  await expect(region).toContainText(`Send this link to ${email}`);
  const link = await region.getByRole("textbox", { name: "Invitation link" }).inputValue();
  expect(link).toMatch(new RegExp(`^${BASE}/sign-up\\?invite=[A-Za-z0-9_-]{43}$`));
  return link;
}

async function freshPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: BASE, viewport: { width: 1500, height: 950 } });
  return ctx.newPage();
}

test("the first visit creates the admin, who makes a workspace, two pipelines and two invitations", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto(`${BASE}/pipelines`);
  await expect(page).toHaveURL(`${BASE}/sign-up`);
  await expect(page.getByRole("heading", { name: "Create the admin account" })).toBeVisible();
  await signUpVia(page, `${BASE}/sign-up`, "Ada Admin", ADMIN);
  await expect(page).toHaveURL(`${BASE}/`);
  await expect(page.getByLabel("Signed in as")).toHaveText(`${ADMIN} admin`);

  await page.goto(`${BASE}/settings/users`);
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row", { name: ADMIN })).toBeVisible();
  await page.getByLabel("Workspace name").fill("Team B");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("table", { name: "Workspaces" }).getByRole("row", { name: "Team B" })).toBeVisible();

  ids.def = await newPipeline(page, "Default flow", "Default");
  // one node, so the read-only checks have a palette, an inspector and a Run button to look at
  await page.getByRole("navigation", { name: "Node palette" }).getByRole("button", { name: /Read parquet/ }).click();
  await expect(page.getByTestId("node-read_1")).toBeVisible();
  await page.getByRole("navigation", { name: "Node palette" }).getByRole("button", { name: /Add column/ }).click();
  await expect(page.getByTestId("node-add_1")).toBeVisible();
  // autosave: wait until the server has both nodes
  await expect.poll(() => page.evaluate(async (id) => {
    const res = await fetch(`/api/trpc/pipelines.get?input=${encodeURIComponent(JSON.stringify({ id }))}`);
    return ((await res.json()) as { result?: { data?: { document?: { nodes?: unknown[] } } } }).result?.data?.document?.nodes?.length;
  }, ids.def)).toBe(2);
  ids.teamB = await newPipeline(page, "Team B flow", "Team B");

  await page.goto(`${BASE}/settings/users`);
  links.editor = await invite(page, EDITOR, "editor", "Default");
  links.viewer = await invite(page, VIEWER, "viewer", "Default");
  await expect(page.getByRole("table", { name: "Pending invitations" }).getByRole("row")).toHaveCount(3);
  // the last admin cannot demote itself
  await page.getByLabel(`Role of ${ADMIN}`).selectOption("editor");
  await expect(page.getByRole("alert").filter({ hasText: "This is the last admin" })).toBeVisible();
  await page.context().close();
});

/** Signs up through an invitation link in a fresh browser and opens the pipelines list, which shows Default's pipeline and not Team B's. */
async function invitedListing(browser: Browser, link: string, name: string, signedInAs: string): Promise<Page> {
  const page = await freshPage(browser);
  await signUpVia(page, link, name);
  await expect(page).toHaveURL(`${BASE}/`);
  await expect(page.getByLabel("Signed in as")).toHaveText(signedInAs);
  await page.goto(`${BASE}/pipelines`);
  await expect(page.getByRole("link", { name: "Default flow", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Team B flow" })).toHaveCount(0);
  return page;
}

test("an invited viewer sees the pipeline read-only, and the API refuses its edits and runs", async ({ browser }) => {
  const page = await invitedListing(browser, links.viewer!, "Vic Viewer", `${VIEWER} viewer`);
  const create = page.getByRole("button", { name: "New pipeline" });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAttribute("title", "Needs the editor role");

  await page.getByRole("link", { name: "Default flow", exact: true }).click();
  const palette = page.getByRole("navigation", { name: "Node palette" });
  await expect(palette.getByRole("button", { name: /Read parquet/ })).toBeDisabled();
  await expect(page.getByLabel("Pipeline name")).not.toBeEditable();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  for (const node of ["read_1", "add_1"]) {
    await page.getByTestId(`node-${node}`).click();
    await expect(inspector.getByText(node).first()).toBeVisible();
    const inputs = inspector.locator("input, select, textarea");
    expect(await inputs.count()).toBeGreaterThan(0);
    for (const input of await inputs.all()) await expect(input).toBeDisabled();
  }
  // the expression's code editor is read-only too
  await expect(inspector.locator(".cm-content").first()).toHaveAttribute("contenteditable", "false");
  const run = page.getByRole("group", { name: "Run" }).getByRole("button", { name: /Run$/ });
  await expect(run).toBeDisabled();
  await expect(run).toHaveAttribute("title", "Needs the runner role");

  // The API refuses whatever the page's controls would have done.
  expect(await apiStatus(page, "pipelines.save", { id: ids.def, expectedVersion: 1, document: {} })).toBe(403);
  expect(await apiStatus(page, "runs.start", { pipelineId: ids.def })).toBe(403);
  expect(await apiStatus(page, "admin.overview", undefined, "GET")).toBe(403);
  await page.goto(`${BASE}/settings/users`);
  await expect(page.getByRole("alert").filter({ hasText: "You need the admin role to manage users." })).toBeVisible();
  await page.context().close();
});

test("an invited editor sees only its workspace's pipelines; sign-out returns to sign-in", async ({ browser }) => {
  const page = await invitedListing(browser, links.editor!, "Eve Editor", `${EDITOR} editor`);
  await expect(page.getByRole("button", { name: "New pipeline" })).toBeEnabled();
  // Team B's pipeline: not by URL, not by the API
  await page.goto(`${BASE}/pipelines/${encodeURIComponent(ids.teamB!)}`);
  await expect(page.getByRole("alert").filter({ hasText: "Cannot open this pipeline" })).toBeVisible();
  expect(await apiStatus(page, "pipelines.get", { id: ids.teamB }, "GET")).toBe(404);
  expect(await apiStatus(page, "pipelines.get", { id: ids.def }, "GET")).toBe(200);
  // editors edit but do not run
  await page.goto(`${BASE}/pipelines/${encodeURIComponent(ids.def!)}`);
  await expect(page.getByRole("navigation", { name: "Node palette" }).getByRole("button", { name: /Read parquet/ })).toBeEnabled();
  await expect(page.getByRole("group", { name: "Run" }).getByRole("button", { name: /Run$/ })).toBeDisabled();
  expect(await apiStatus(page, "runs.start", { pipelineId: ids.def })).toBe(403);

  await page.goto(`${BASE}/pipelines`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${BASE}/sign-in`);
  await page.goto(`${BASE}/pipelines`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fpipelines$/);
  expect(await apiStatus(page, "pipelines.list", undefined, "GET")).toBe(401);
  await page.context().close();
});

test("a wrong password shows an error in the form; sign-up without an invitation is refused", async ({ browser }) => {
  const page = await freshPage(browser);
  await signIn(page, EDITOR, "not the password");
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(`${BASE}/sign-in`);

  await page.goto(`${BASE}/sign-up`);
  await expect(page.getByRole("heading", { name: "Sign-up needs an invitation" })).toBeVisible();
  const refused = await page.evaluate(async (password) => {
    const res = await fetch("/api/auth/sign-up/email", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "mallory@example.org", name: "Mallory", password }),
    });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  }, PASSWORD);
  expect(refused.status).toBe(403);
  expect(refused.body.message).toContain("Ask an admin for an invitation");

  // the used invitation link does not work twice
  await page.goto(links.viewer!);
  await expect(page.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();

  // and the right password signs in
  await signIn(page, EDITOR);
  await expect(page).toHaveURL(`${BASE}/`);
  await page.context().close();
});

test("single-user mode: Turn on sign-in creates the admin, signs the browser in, and then sign-in is required", async ({ browser }) => {
  test.setTimeout(300_000);
  const port = PORT + 2;
  const base = `http://127.0.0.1:${port}`;
  const single = await startApp(port, { ETL_AUTH: "off" });
  try {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1500, height: 950 } });
    const page = await ctx.newPage();
    // single-user: no sign-in, the local admin sees everything
    await page.goto(`${base}/pipelines`);
    await expect(page).toHaveURL(`${base}/pipelines`);
    await expect(page.getByRole("button", { name: "New pipeline" })).toBeEnabled();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    expect((await page.request.post(`${base}/api/auth/sign-up/email`, { data: { email: "x@example.org", name: "X", password: PASSWORD } })).status()).toBe(404);

    await page.getByRole("link", { name: "Users" }).click();
    const form = page.getByRole("form", { name: "Turn on sign-in" });
    await form.getByLabel("Admin email").fill("owner@example.org");
    await form.getByLabel("Name").fill("Olive Owner");
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Turn on sign-in" }).click();
    await expect(page).toHaveURL(`${base}/settings/users`);
    await expect(page.getByLabel("Signed in as")).toHaveText("owner@example.org admin");
    await expect(page.getByRole("region", { name: "Sign-in" })).toContainText("Sign-in is on");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${base}/sign-in`);
    await page.goto(`${base}/`);
    await expect(page).toHaveURL(`${base}/sign-in`);
    expect((await page.request.get(`${base}/api/trpc/pipelines.list`)).status()).toBe(401);
    await ctx.close();
  } finally {
    await single.stop();
  }
});
