//! One browser session: its own Chromium with a fresh profile, as one person at one computer.
//!
//! Before any page loads, every window gets a recorder (installed with the DevTools command
//! `Page.addScriptToEvaluateOnNewDocument`, which runs it first in every new document) that
//! keeps, in `window.__e2e`:
//! - `problems`: CSP violations (`securitypolicyviolation`), uncaught errors, unhandled
//!   rejections and `console.error` calls (Datastar reports its own failures there) — every
//!   test ends by asserting it is empty;
//! - `datastar`: whether Datastar started (its `datastar-ready` event, which fires before the
//!   page's `load`);
//! - `stream`: what happened to the page's live stream, from Datastar's `datastar-fetch`
//!   events on `<body>` (the element whose `data-init` opens it): frames received, retries,
//!   error statuses. A page is *live* once its stream delivered a frame;
//! - `visibility`: the page's visibility, then every change of it (Datastar closes the stream
//!   of a hidden page and reopens it when the page is shown).
//!
//! DevTools runs the recorder even where the page's own scripts are blocked.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, TimeoutConfiguration, WebDriverCompatibleCommand, WindowHandle};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value as Json, json};

use super::{ChromeDriver, Scratch, WAIT};

/// The Chromium binary of Debian's `chromium` package.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";

/// The recorder, run before any script of every document.
const RECORDER: &str = r#"
(() => {
  if (window.__e2e) return;
  const problems = [];
  const stream = { frames: 0, retries: 0, statuses: [] };
  const recorded = { problems, datastar: false, stream, visibility: [document.visibilityState] };
  Object.defineProperty(window, '__e2e', { value: recorded });
  window.addEventListener('securitypolicyviolation', (e) => {
    problems.push(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} `
      + `at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} (${e.sample})`);
  }, true);
  window.addEventListener('error', (e) => {
    problems.push(`uncaught error: ${e.message} at ${e.filename}:${e.lineno}:${e.colno}`);
  });
  window.addEventListener('unhandledrejection', (e) => {
    const reason = e.reason;
    problems.push(`unhandled rejection: ${(reason && reason.stack) || reason}`);
  });
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    problems.push(`console.error: ${args.map((a) => (a && a.stack) || String(a)).join(' ')}`);
    consoleError(...args);
  };
  document.addEventListener('visibilitychange', () => recorded.visibility.push(document.visibilityState));
  document.addEventListener('datastar-ready', () => { recorded.datastar = true; });
  document.addEventListener('datastar-fetch', (e) => {
    const { type, el, argsRaw } = e.detail;
    if (el !== document.body) return;
    if (type === 'datastar-patch-elements') stream.frames += 1;
    else if (type === 'retrying') stream.retries += 1;
    else if (type === 'error') stream.statuses.push(Number(argsRaw && argsRaw.status));
  });
})();
"#;

/// A WebDriver session driving one Chromium.
#[derive(Debug)]
pub(crate) struct Browser {
    client: Client,
}

impl Browser {
    /// A new Chromium with a fresh profile under `scratch`.
    pub(crate) async fn open(driver: &ChromeDriver, scratch: &Scratch) -> Browser {
        Browser::start(driver, scratch, true).await
    }

    /// A new Chromium with JavaScript turned off: pages run none of their own scripts (the
    /// recorder still runs, injected by DevTools).
    pub(crate) async fn without_javascript(driver: &ChromeDriver, scratch: &Scratch) -> Browser {
        Browser::start(driver, scratch, false).await
    }

    async fn start(driver: &ChromeDriver, scratch: &Scratch, javascript: bool) -> Browser {
        static PROFILES: AtomicU32 = AtomicU32::new(0);
        let profile = scratch.join(&format!("profile-{}", PROFILES.fetch_add(1, Ordering::Relaxed)));
        let args = vec![
            "--headless=new".to_owned(),
            // We run as root, where Chromium's sandbox cannot start.
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--window-size=1200,900".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut prefs = json!({});
        if !javascript {
            // The content setting a person (or their admin) sets to turn JavaScript off.
            prefs = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let capabilities: Capabilities = serde_json::from_value(json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args, "prefs": prefs },
        }))
        .expect("capabilities are a JSON object");
        // Plain HTTP to ChromeDriver on 127.0.0.1: no TLS connector needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(driver.url())
            .await
            .unwrap_or_else(|error| panic!("cannot open a Chromium session (is `{CHROMIUM}` installed?): {error}"));
        // Waits run as async scripts in the page and give up after `WAIT` themselves; the
        // script timeout only catches a page that stopped answering.
        client
            .update_timeouts(TimeoutConfiguration::new(Some(WAIT * 2), Some(WAIT * 3), Some(Duration::ZERO)))
            .await
            .expect("set WebDriver timeouts");
        let browser = Browser { client };
        browser.install_recorder().await;
        browser
    }

    /// Installs the recorder in the current window: every document it loads from now on runs
    /// the recorder before any of its own scripts.
    async fn install_recorder(&self) {
        self.client
            .issue_cmd(Cdp { cmd: "Page.addScriptToEvaluateOnNewDocument", params: json!({ "source": RECORDER }) })
            .await
            .expect("install the recorder with `Page.addScriptToEvaluateOnNewDocument`");
    }

    /// Loads `url` in the current window.
    pub(crate) async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|error| panic!("cannot load `{url}`: {error}"));
    }

    /// Loads `url` and waits until its live stream delivered its first frame.
    pub(crate) async fn open_live(&self, url: &str) {
        self.goto(url).await;
        self.wait_until("the page's live stream to deliver a frame", "window.__e2e.stream.frames > 0").await;
    }

    /// Opens a new tab of this browser's window and makes it the current window, with its
    /// own recorder. Like a person's tabs, only the front tab is visible: the others are
    /// `hidden`, which closes their live streams until they come to the front again.
    pub(crate) async fn new_tab(&self) -> WindowHandle {
        self.open_window(true).await
    }

    /// Opens a new window of this browser and makes it the current window, with its own
    /// recorder. Every window stays visible, so every window keeps its live stream open.
    pub(crate) async fn new_window(&self) -> WindowHandle {
        self.open_window(false).await
    }

    async fn open_window(&self, as_tab: bool) -> WindowHandle {
        let window = self.client.new_window(as_tab).await.expect("open a tab or window").handle;
        self.switch_to(&window).await;
        self.install_recorder().await;
        window
    }

    /// The current window.
    pub(crate) async fn window(&self) -> WindowHandle {
        self.client.window().await.expect("the current window")
    }

    /// Makes `window` the current window (ChromeDriver also brings it to the front).
    pub(crate) async fn switch_to(&self, window: &WindowHandle) {
        self.client.switch_to_window(window.clone()).await.expect("switch window");
    }

    /// Evaluates the JavaScript expression `expression` in the current window.
    pub(crate) async fn eval(&self, expression: &str) -> Json {
        self.client
            .execute(&format!("return ({expression});"), Vec::new())
            .await
            .unwrap_or_else(|error| panic!("evaluating `{expression}` failed: {error}"))
    }

    /// Waits until the JavaScript expression `condition` is true in the current window,
    /// checking it after every DOM change (and every 50 ms, for changes that are not DOM
    /// changes); fails the test after [`WAIT`], showing what the page showed.
    pub(crate) async fn wait_until(&self, what: &str, condition: &str) {
        let script = format!(
            r#"
            const [limit, done] = arguments;
            const check = () => {{ try {{ return Boolean({condition}); }} catch (e) {{ return false; }} }};
            const started = performance.now();
            let observer, timer;
            const tick = () => {{
              const ok = check();
              if (!ok && performance.now() - started < limit) return;
              observer.disconnect();
              clearInterval(timer);
              done({{ ok, text: document.body ? document.body.innerText : '' }});
            }};
            observer = new MutationObserver(tick);
            observer.observe(document, {{ subtree: true, childList: true, attributes: true, characterData: true }});
            timer = setInterval(tick, 50);
            tick();
            "#
        );
        let limit = json!(WAIT.as_millis() as u64);
        let outcome = self
            .client
            .execute_async(&script, vec![limit])
            .await
            .unwrap_or_else(|error| panic!("waiting for {what} failed: {error}"));
        if outcome["ok"] != json!(true) {
            let recorded = self.recorded().await;
            panic!(
                "waited {WAIT:?} for {what} (`{condition}`).\nThe page shows:\n{}\nIts recorder: {}",
                outcome["text"].as_str().unwrap_or_default(),
                serde_json::to_string_pretty(&recorded).unwrap_or_default(),
            );
        }
    }

    /// The first element matching the CSS `selector`, failing the test when there is none.
    pub(crate) async fn find(&self, selector: &str) -> Element {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|error| panic!("no element matches `{selector}`: {error}"))
    }

    /// Clicks the element matching `selector`, as a person would (it must be visible).
    pub(crate) async fn click(&self, selector: &str) {
        let element = self.find(selector).await;
        element.click().await.unwrap_or_else(|error| panic!("cannot click `{selector}`: {error}"));
    }

    /// Double-clicks the element matching `selector`.
    pub(crate) async fn double_click(&self, selector: &str) {
        let element = self.find(selector).await;
        let mouse = MouseActions::new("mouse".to_owned())
            .then(PointerAction::MoveToElement { element, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client
            .perform_actions(mouse)
            .await
            .unwrap_or_else(|error| panic!("cannot double-click `{selector}`: {error}"));
        self.client.release_actions().await.expect("release the mouse");
    }

    /// Clears the field matching `selector` and types `text` into it (WebDriver key codes
    /// such as `fantoccini::key::Key::Enter` press that key).
    pub(crate) async fn type_into(&self, selector: &str, text: &str) {
        let element = self.find(selector).await;
        element.clear().await.unwrap_or_else(|error| panic!("cannot clear `{selector}`: {error}"));
        element.send_keys(text).await.unwrap_or_else(|error| panic!("cannot type into `{selector}`: {error}"));
    }

    /// Presses keys in the field matching `selector`, without clearing it first.
    pub(crate) async fn press(&self, selector: &str, keys: &str) {
        let element = self.find(selector).await;
        element.send_keys(keys).await.unwrap_or_else(|error| panic!("cannot type into `{selector}`: {error}"));
    }

    /// What the current window's recorder holds.
    pub(crate) async fn recorded(&self) -> Json {
        self.eval("window.__e2e ?? 'no recorder: this window never loaded a page'").await
    }

    /// Fails the test if any window of this session recorded a problem, then ends the session.
    pub(crate) async fn finish(self) {
        let windows = self.client.windows().await.expect("list windows");
        for window in windows {
            self.switch_to(&window).await;
            let recorded = self.recorded().await;
            assert!(
                recorded["problems"].as_array().is_some_and(Vec::is_empty),
                "the page recorded problems:\n{}",
                serde_json::to_string_pretty(&recorded).unwrap_or_default()
            );
        }
        self.client.close().await.expect("end the WebDriver session");
    }
}

/// A DevTools command, sent through ChromeDriver's `goog/cdp/execute` extension.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Json,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}
