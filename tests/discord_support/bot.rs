//! A bare serenity bot for the Discord tests: it connects to the local server with serenity's own
//! client and hands the test every gateway event it receives; the test answers through serenity's
//! HTTP client (`bot.http`). It shows the server works with serenity itself; the Relais adapter
//! takes its place in the adapter's tests.

use super::{DiscordServer, WAIT};
use serenity::all::{
    ClientBuilder, Context, Event, GatewayIntents, Guild, Http, Interaction, Message, RawEventHandler, Reaction, Ready,
    ShardManager,
};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A serenity client connected to a [`DiscordServer`].
pub struct SerenityBot {
    pub http: Arc<Http>,
    events: mpsc::UnboundedReceiver<Event>,
    /// Events received that no `next` call took yet.
    backlog: Vec<Event>,
    shards: Arc<ShardManager>,
    task: JoinHandle<()>,
}

/// Passes every event on to the test.
struct Forward(mpsc::UnboundedSender<Event>);

#[serenity::async_trait]
impl RawEventHandler for Forward {
    async fn raw_event(&self, _ctx: Context, event: Event) {
        let _ = self.0.send(event);
    }
}

impl SerenityBot {
    /// The intents a Relais bot asks for: guilds, messages and reactions in guilds and DMs, and
    /// message content (for `!` commands).
    pub fn intents() -> GatewayIntents {
        GatewayIntents::GUILDS
            | GatewayIntents::GUILD_MESSAGES
            | GatewayIntents::GUILD_MESSAGE_REACTIONS
            | GatewayIntents::DIRECT_MESSAGES
            | GatewayIntents::DIRECT_MESSAGE_REACTIONS
            | GatewayIntents::MESSAGE_CONTENT
    }

    /// Starts serenity against `server` with [`Self::intents`].
    pub async fn start(server: &DiscordServer) -> SerenityBot {
        SerenityBot::start_with(server, SerenityBot::intents()).await
    }

    /// Starts serenity against `server` with `intents`, built as the issue prescribes:
    /// `ClientBuilder::new_with_http` with [`DiscordServer::http`].
    pub async fn start_with(server: &DiscordServer, intents: GatewayIntents) -> SerenityBot {
        let (tx, events) = mpsc::unbounded_channel();
        let mut client = ClientBuilder::new_with_http(server.http(), intents)
            .raw_event_handler(Forward(tx))
            .await
            .expect("serenity builds its client");
        let http = Arc::clone(&client.http);
        let shards = Arc::clone(&client.shard_manager);
        let task = tokio::spawn(async move {
            if let Err(error) = client.start().await {
                eprintln!("serenity's client stopped: {error}");
            }
        });
        SerenityBot {
            http,
            events,
            backlog: Vec::new(),
            shards,
            task,
        }
    }

    /// The first event that `pick` accepts, or a failed test after [`WAIT`] naming `what`.
    /// Events it does not accept stay for later calls: serenity runs its handlers concurrently,
    /// so events may come in another order than Discord sent them (RESUMED before the replayed
    /// dispatches, say).
    pub async fn next<T>(&mut self, what: &str, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
        if let Some((index, found)) = self
            .backlog
            .iter()
            .enumerate()
            .find_map(|(i, e)| pick(e).map(|f| (i, f)))
        {
            self.backlog.remove(index);
            return found;
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(event)) => match pick(&event) {
                    Some(found) => return found,
                    None => self.backlog.push(event),
                },
                Ok(None) => panic!("serenity stopped before {what}"),
                Err(_) => {
                    let seen: Vec<String> = self.backlog.iter().filter_map(Event::name).collect();
                    panic!("serenity received no {what} in {WAIT:?}; waiting unread: {seen:?}")
                }
            }
        }
    }

    pub async fn ready(&mut self) -> Ready {
        self.next("READY", |e| match e {
            Event::Ready(e) => Some(e.ready.clone()),
            _ => None,
        })
        .await
    }

    pub async fn guild_create(&mut self) -> Guild {
        self.next("GUILD_CREATE", |e| match e {
            Event::GuildCreate(e) => Some(e.guild.clone()),
            _ => None,
        })
        .await
    }

    pub async fn message(&mut self) -> Message {
        self.next("MESSAGE_CREATE", |e| match e {
            Event::MessageCreate(e) => Some(e.message.clone()),
            _ => None,
        })
        .await
    }

    pub async fn interaction(&mut self) -> Interaction {
        self.next("INTERACTION_CREATE", |e| match e {
            Event::InteractionCreate(e) => Some(e.interaction.clone()),
            _ => None,
        })
        .await
    }

    pub async fn reaction(&mut self) -> Reaction {
        self.next("MESSAGE_REACTION_ADD", |e| match e {
            Event::ReactionAdd(e) => Some(e.reaction.clone()),
            _ => None,
        })
        .await
    }

    pub async fn resumed(&mut self) {
        self.next("RESUMED", |e| matches!(e, Event::Resumed(_)).then_some(()))
            .await
    }

    /// Events received and not yet taken, without waiting.
    pub fn pending(&mut self) -> Vec<Event> {
        let mut all = std::mem::take(&mut self.backlog);
        all.extend(std::iter::from_fn(|| self.events.try_recv().ok()));
        all
    }
}

impl Drop for SerenityBot {
    fn drop(&mut self) {
        self.task.abort();
        let shards = Arc::clone(&self.shards);
        tokio::spawn(async move { shards.shutdown_all().await });
    }
}
