output "topic_ids" {
  description = "Topic id (projects/.../topics/...) by topic name."
  value       = { for name, topic in google_pubsub_topic.topic : name => topic.id }
}

output "dead_letter_topic_ids" {
  description = "Dead-letter topic id by the topic it serves."
  value       = { for name, topic in google_pubsub_topic.dead_letter : name => topic.id }
}

output "dead_letter_topic_names" {
  description = "Dead-letter topic name by the topic it serves."
  value       = { for name, topic in google_pubsub_topic.dead_letter : name => topic.name }
}

output "dead_letter_replay_subscriptions" {
  description = "Replay (pull) subscription name by the topic whose dead letters it keeps."
  value       = { for name, sub in google_pubsub_subscription.dead_letter_replay : name => sub.name }
}
