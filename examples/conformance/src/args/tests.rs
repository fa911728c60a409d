use super::{Args, DEFAULT_PORT};

#[track_caller]
fn check(args: &[&str], expected: Result<Args, &str>) {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    assert_eq!(Args::parse(&args), expected.map_err(str::to_owned));
}

#[test]
fn the_port_defaults_to_the_suites_own() {
    check(&[], Ok(Args::Serve { port: DEFAULT_PORT }));
    check(&["--port", "0"], Ok(Args::Serve { port: 0 }));
    check(&["--port=8080"], Ok(Args::Serve { port: 8080 }));
    check(&["--help"], Ok(Args::Help));
}

#[test]
fn bad_arguments_say_what_to_pass() {
    check(&["--port", "x"], Err("`--port` takes a port number (0 to 65535), not `x`"));
    check(&["--port=70000"], Err("`--port` takes a port number (0 to 65535), not `70000`"));
    check(&["--port"], Err(&format!("`--port` needs a value\n{}", Args::usage())));
    check(&["--db", "x"], Err(&format!("unknown argument `--db`\n{}", Args::usage())));
}
