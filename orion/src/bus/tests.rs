use std::time::Duration;

use super::Bus;

#[tokio::test]
async fn a_publish_wakes_every_subscriber_of_its_topic() {
    let bus = Bus::new();
    let mut a = bus.subscribe(&["todos"]);
    let mut b = bus.subscribe(&["todos", "users"]);
    bus.publish("todos");
    a.changed().await;
    b.changed().await;
}

#[tokio::test(start_paused = true)]
async fn publishes_before_a_look_coalesce_into_one_wake_up() {
    let bus = Bus::new();
    let mut sub = bus.subscribe(&["todos"]);
    bus.publish("todos");
    bus.publish("todos");
    bus.publish("todos");
    sub.changed().await;
    let second = tokio::time::timeout(Duration::from_secs(1), sub.changed()).await;
    assert!(second.is_err(), "three publishes before one look must wake it once");
}

#[tokio::test(start_paused = true)]
async fn other_topics_do_not_wake_a_subscriber() {
    let bus = Bus::new();
    let mut sub = bus.subscribe(&["todos"]);
    bus.publish("users");
    let woke = tokio::time::timeout(Duration::from_secs(1), sub.changed()).await;
    assert!(woke.is_err());
}

#[test]
fn dropping_a_subscription_unsubscribes() {
    let bus = Bus::new();
    let sub = bus.subscribe(&["todos"]);
    assert_eq!(bus.subscribers("todos"), 1);
    drop(sub);
    assert_eq!(bus.subscribers("todos"), 0);
    bus.publish("todos");
}

#[test]
fn try_changed_reports_a_pending_publish_once() {
    let bus = Bus::new();
    let mut sub = bus.subscribe(&["todos"]);
    assert!(!sub.try_changed());
    bus.publish("todos");
    assert!(sub.try_changed());
    assert!(!sub.try_changed());
}
