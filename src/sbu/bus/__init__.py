"""The message bus between sbu's parts: in-process by default, NATS JetStream to scale out."""
