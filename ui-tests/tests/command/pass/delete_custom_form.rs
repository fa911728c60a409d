use orion::{Command, Ctx, Reply, Result, command};

#[command("/todos/{id}", method = "delete", form = "todo-{id}-actions")]
pub async fn delete(_ctx: Ctx, id: i64) -> Result<Reply> {
    let _ = id;
    Ok(Reply::new())
}

#[command("/todos/{id}", method = "PUT", form = "edit")]
pub async fn replace(_ctx: Ctx, id: i64) -> Result<Reply> {
    let _ = id;
    Ok(Reply::new())
}

fn main() {
    assert_eq!(delete::url(5), "todos/5");
    assert_eq!(delete::action(5), "@delete('todos/5')");
    assert_eq!(delete::form(5), "todo-5-actions");
    assert_eq!(
        <delete as Command>::route().method(),
        orion::__private::Method::DELETE
    );
    assert_eq!(replace::action(5), "@put('todos/5')");
    assert_eq!(replace::form(5), "edit");
}
