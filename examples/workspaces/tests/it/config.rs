//! The command line: `--tenancy` picks the model.

use orion::tenant::TenancyModel;
use workspaces::Config;

fn parse(args: &[&str]) -> Result<Config, String> {
    Config::from_args(args.iter().map(|arg| (*arg).to_owned()))
}

#[test]
fn tenancy_defaults_to_per_file_and_the_flag_picks_either_model() {
    assert_eq!(parse(&[]).unwrap().tenancy, TenancyModel::PerFile);
    assert_eq!(parse(&["--tenancy", "shared"]).unwrap().tenancy, TenancyModel::Shared);
    assert_eq!(
        parse(&["--tenancy", "per-file", "--data", "d", "--port", "8080"]).unwrap().tenancy,
        TenancyModel::PerFile
    );
    assert_eq!(parse(&["--tenancy", "both"]).unwrap_err(), "`--tenancy` is `per-file` or `shared`, not `both`");
    assert_eq!(parse(&["--tenancy"]).unwrap_err(), "`--tenancy` needs a value");
}
