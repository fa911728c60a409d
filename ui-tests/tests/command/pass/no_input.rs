use orion::{Command, Ctx, Reply, Result, command};

#[command("/todos/clear-completed")]
pub async fn clear_completed(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {
    assert_eq!(clear_completed::PATH, "/todos/clear-completed");
    assert_eq!(clear_completed::url(), "todos/clear-completed");
    assert_eq!(clear_completed::action(), "@post('todos/clear-completed')");
    assert_eq!(clear_completed::form(), "clear-completed");
    let route = <clear_completed as Command>::route();
    assert_eq!(route.method(), orion::__private::Method::POST);
    assert_eq!(route.path(), "/todos/clear-completed");
}
