//! The command line: `conformance [--port N]`.

/// The port the Datastar SDK test suite expects by default.
pub(crate) const DEFAULT_PORT: u16 = 7331;

const PORT: &str = "--port";

const USAGE: &str = "usage: conformance [--port N]   (default 7331; `--port 0` picks a free port; env: RUST_LOG)";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Args {
    /// Serve `/test` on `127.0.0.1:port`.
    Serve { port: u16 },
    /// Print the usage.
    Help,
}

impl Args {
    /// Parses the arguments after the program name.
    pub(crate) fn parse(args: &[String]) -> Result<Args, String> {
        let mut port = DEFAULT_PORT;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let value = match arg.as_str() {
                "--help" | "-h" => return Ok(Args::Help),
                PORT => args.next().ok_or_else(|| format!("`{PORT}` needs a value\n{USAGE}"))?.as_str(),
                other => match other.strip_prefix(PORT).and_then(|rest| rest.strip_prefix('=')) {
                    Some(value) => value,
                    None => return Err(format!("unknown argument `{other}`\n{USAGE}")),
                },
            };
            port = value.parse().map_err(|_| format!("`{PORT}` takes a port number (0 to 65535), not `{value}`"))?;
        }
        Ok(Args::Serve { port })
    }

    /// The usage line.
    pub(crate) fn usage() -> &'static str {
        USAGE
    }
}

#[cfg(test)]
mod tests;
