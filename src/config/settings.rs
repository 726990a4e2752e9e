//! From a checked [`Config`] to the core's [`Settings`], and the secrets named by the configuration.

use super::model::Config;
use crate::app::{CampaignGoal, RoomSettings, ScheduleSettings, Settings};
use crate::domain::schedule::WeeklyTime;
use crate::domain::scoring::PointsRules;
use crate::domain::RoomRef;
use chrono::NaiveDate;

/// Why a secret could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Relais only reads environment variables the configuration names in an `*-env` key.
    #[error("the environment variable `{0}` is not named by any `*-env` key of the configuration")]
    NotNamed(String),
    #[error("the environment variable `{0}` is not set (or is empty)")]
    Unset(String),
}

impl Config {
    /// The settings the core needs. Rooms without a language get the organisation's default.
    pub fn settings(&self) -> Settings {
        let default_lang = self.organisation.default_language;
        Settings {
            org_name: self.organisation.name.clone(),
            org_tz: self.organisation.time_zone,
            default_lang,
            prefix: self.bot.prefix.clone(),
            max_message_chars: self.bot.max_message_chars,
            points: PointsRules {
                reshare: self.points.reshare,
                same_day_bonus: self.points.same_day_bonus,
                streak_bonus: self.points.streak_bonus,
                streak_min_days: self.points.streak_min_days,
            },
            coordinators: self.coordinators.clone(),
            rooms: self
                .rooms
                .iter()
                .map(|room| RoomSettings {
                    room: RoomRef::new(room.platform, room.id.clone()),
                    lang: room.language.unwrap_or(default_lang),
                    push_time: room.push_time,
                    coordinators_room: room.coordinators_room,
                })
                .collect(),
            default_nudge_time: self.nudges.default_time,
            hot_default_days: self.bot.hot_default_days,
            leaderboard_size: self.bot.leaderboard_size,
            link_code_minutes: self.bot.link_code_minutes,
            campaigns: self
                .campaigns
                .iter()
                .map(|c| CampaignGoal {
                    name: c.name.clone(),
                    start: c.start,
                    goal_reshares: c.goal_reshares,
                    goal_date: c.goal_date,
                })
                .collect(),
            schedule: ScheduleSettings {
                grace: chrono::Duration::minutes(i64::from(self.schedule.grace_minutes)),
                quiet_hours: self.schedule.quiet_hours,
                leaderboard: WeeklyTime {
                    day: self.schedule.leaderboard_day,
                    time: self.schedule.leaderboard_time,
                },
                report: WeeklyTime {
                    day: self.schedule.report_day,
                    time: self.schedule.report_time,
                },
            },
        }
    }

    /// Advice about values that are valid but probably out of date, for `check-config`: campaigns
    /// whose goal date is before `today` (reports show them as reached or missed).
    pub fn warnings(&self, today: NaiveDate) -> Vec<String> {
        self.campaigns
            .iter()
            .filter(|c| c.goal_date < today)
            .map(|c| {
                format!(
                    "campaign `{}`: its goal date {} has passed; reports show it as reached or missed (remove it once it is over)",
                    c.name, c.goal_date
                )
            })
            .collect()
    }

    /// The environment variables named by the `*-env` keys of the enabled sections.
    pub fn env_names(&self) -> Vec<&str> {
        let matrix = self.matrix.iter().flat_map(|m| {
            [
                m.password_env.as_deref(),
                m.access_token_env.as_deref(),
                m.store_passphrase_env.as_deref(),
            ]
        });
        let discord = self.discord.iter().map(|d| Some(d.token_env.as_str()));
        matrix.chain(discord).flatten().collect()
    }

    /// The secret held by the environment variable `env_name`, which must be named by the configuration.
    pub fn secret(&self, env_name: &str) -> Result<String, SecretError> {
        self.secret_from(env_name, |name| std::env::var(name).ok())
    }

    fn secret_from(&self, env_name: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, SecretError> {
        if !self.env_names().contains(&env_name) {
            return Err(SecretError::NotNamed(env_name.to_string()));
        }
        lookup(env_name)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| SecretError::Unset(env_name.to_string()))
    }
}

/// The environment variables that enabled sections need but that are unset or empty. For Matrix,
/// one of `password-env` and `access-token-env` being set is enough. Used by `run`; not a
/// `check-config` error, since the file may be checked on another machine.
pub fn missing_env(config: &Config) -> Vec<String> {
    missing_env_from(config, |name| std::env::var(name).ok())
}

fn missing_env_from(config: &Config, lookup: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let is_set = |name: &str| lookup(name).is_some_and(|value| !value.is_empty());
    let mut missing = Vec::new();
    if let Some(matrix) = &config.matrix {
        let named: Vec<&str> = [matrix.password_env.as_deref(), matrix.access_token_env.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !named.iter().any(|name| is_set(name)) {
            missing.extend(named.into_iter().map(String::from));
        }
        // Needed whenever it is named: the stores are never opened unencrypted by mistake.
        missing.extend(matrix.store_passphrase_env.iter().filter(|name| !is_set(name)).cloned());
    }
    if let Some(discord) = &config.discord {
        if !is_set(&discord.token_env) {
            missing.push(discord.token_env.clone());
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_SECRETS: &str = r#"
[organisation]
name = "Test"
[matrix]
homeserver = "https://matrix.example.org"
user-id = "@relais:example.org"
password-env = "RELAIS_TEST_PASSWORD"
access-token-env = "RELAIS_TEST_TOKEN"
store-passphrase-env = "RELAIS_TEST_PASSPHRASE"
[discord]
token-env = "RELAIS_TEST_DISCORD"
"#;

    fn config() -> Config {
        match super::super::check_str(WITH_SECRETS, "test.toml") {
            Ok(config) => config,
            Err(problems) => panic!("{problems:?}"),
        }
    }

    #[test]
    fn missing_env_lists_what_enabled_sections_need() {
        let config = config();
        // (variables set, expected missing)
        let rows: [(&[&str], &[&str]); 5] = [
            (
                &[],
                &[
                    "RELAIS_TEST_PASSWORD",
                    "RELAIS_TEST_TOKEN",
                    "RELAIS_TEST_PASSPHRASE",
                    "RELAIS_TEST_DISCORD",
                ],
            ),
            (
                &["RELAIS_TEST_TOKEN"],
                &["RELAIS_TEST_PASSPHRASE", "RELAIS_TEST_DISCORD"],
            ),
            (
                &["RELAIS_TEST_PASSWORD", "RELAIS_TEST_DISCORD", "RELAIS_TEST_PASSPHRASE"],
                &[],
            ),
            (
                &["RELAIS_TEST_PASSWORD", "RELAIS_TEST_DISCORD"],
                &["RELAIS_TEST_PASSPHRASE"],
            ),
            (
                &["RELAIS_TEST_DISCORD", "RELAIS_TEST_PASSPHRASE"],
                &["RELAIS_TEST_PASSWORD", "RELAIS_TEST_TOKEN"],
            ),
        ];
        for (set, want) in rows {
            let missing = missing_env_from(&config, |name| set.contains(&name).then(|| "value".to_string()));
            assert_eq!(missing, want, "set: {set:?}");
        }
        let empty_counts_as_unset = missing_env_from(&config, |_| Some(String::new()));
        assert_eq!(empty_counts_as_unset.len(), 4);
    }

    #[test]
    fn secrets_are_read_only_from_named_variables() {
        let config = config();
        let lookup = |name: &str| (name == "RELAIS_TEST_TOKEN" || name == "HOME").then(|| "s3cret".to_string());
        assert_eq!(
            config.secret_from("RELAIS_TEST_TOKEN", lookup),
            Ok("s3cret".to_string())
        );
        assert_eq!(
            config.secret_from("HOME", lookup),
            Err(SecretError::NotNamed("HOME".into()))
        );
        assert_eq!(
            config.secret_from("RELAIS_TEST_DISCORD", lookup),
            Err(SecretError::Unset("RELAIS_TEST_DISCORD".into()))
        );
    }
}
