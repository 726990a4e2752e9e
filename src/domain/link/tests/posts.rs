//! Post identities: every spelling of one post gives one key, different posts give different keys.

use super::super::*;

fn post(raw: &str) -> Result<(String, Network), UrlError> {
    normalise(raw).map(|s| (s.post, s.network))
}

/// Issue 14 §5: each of these counted as a different post, 10 points each.
#[test]
fn r14_every_spelling_of_one_post_counts_once() {
    let groups: &[(&str, &[&str])] = &[
        (
            "x:1859270000000000000",
            &[
                "https://x.com/alice/status/1859270000000000000",
                "https://x.com/Alice/status/1859270000000000000",
                "https://x.com/i/status/1859270000000000000",
                "https://x.com/i/web/status/1859270000000000000",
                "https://x.com/alice/status/1859270000000000000/photo/1",
                "https://x.com/alice/status/1859270000000000000?lang=en",
                "https://x.com/%61lice/status/1859270000000000000",
                "https://x.com//alice/status/1859270000000000000",
                "https://x.com/bob/status/1859270000000000000",
                "https://twitter.com/alice/status/1859270000000000000?s=20",
            ],
        ),
        (
            "facebook:1234567890123456",
            &[
                "https://www.facebook.com/story.php?story_fbid=1234567890123456&id=100064000000000",
                "https://www.facebook.com/story.php?id=100064000000000&story_fbid=1234567890123456",
                "https://www.facebook.com/permalink.php?story_fbid=1234567890123456&id=100064000000000",
                "https://www.facebook.com/ngo/posts/1234567890123456",
            ],
        ),
        (
            "linkedin:activity:7263000000000000000",
            &[
                "https://www.linkedin.com/posts/ngo_river-cleanup-activity-7263000000000000000-AbCd",
                "https://www.linkedin.com/feed/update/urn:li:activity:7263000000000000000/",
                "https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7263000000000000000",
            ],
        ),
        (
            "mastodon:mastodon.social:113456789012345678",
            &[
                "https://mastodon.social/@bob/113456789012345678",
                "https://mastodon.social/@bob@mastodon.social/113456789012345678",
                "https://mastodon.social/users/bob/statuses/113456789012345678",
            ],
        ),
        (
            "bluesky:3lbabcdefgh2x",
            &[
                "https://bsky.app/profile/ngo.bsky.social/post/3lbabcdefgh2x",
                "https://bsky.app/profile/did:plc:abc123xyz/post/3lbabcdefgh2x",
            ],
        ),
    ];
    for (key, spellings) in groups {
        for raw in *spellings {
            assert_eq!(post(raw).map(|(p, _)| p).as_deref(), Ok(*key), "{raw}");
        }
    }
}

/// `(raw as pasted, post key, network)`: shapes seen in real copy-links and share buttons.
#[rustfmt::skip]
const POSTS: &[(&str, &str, Network)] = &[
    // X / Twitter and what people paste instead.
    ("https://twitter.com/#!/ngo/status/1859", "x:1859", Network::X),
    ("https://mobile.twitter.com/ngo/status/1859/video/1", "x:1859", Network::X),
    ("https://x.com/ngo/statuses/1859", "x:1859", Network::X),
    ("https://x.com/ngo/status/1859/analytics", "x:1859", Network::X),
    ("https://x.com/ngo/status/1859?s=46&t=AbC&ref_src=twsrc%5Etfw", "x:1859", Network::X),
    ("https://fxtwitter.com/ngo/status/1859", "x:1859", Network::X),
    ("https://vxtwitter.com/ngo/status/1859", "x:1859", Network::X),
    ("https://x.com/ngo/status/01859", "x:1859", Network::X),
    ("https://x.com/ngo", "web:x.com/ngo", Network::X),
    // LinkedIn: posts, feed updates, shares, ugcPosts, embeds, articles.
    ("https://fr.linkedin.com/posts/ngo_activity-7263000000000000000-AbCd?trk=x", "linkedin:activity:7263000000000000000", Network::LinkedIn),
    ("https://www.linkedin.com/posts/jane-doe-123_ourcause-activity-7263000000000000001-Zz9Y?utm_source=share", "linkedin:activity:7263000000000000001", Network::LinkedIn),
    ("https://www.linkedin.com/posts/ngo_activity-report-2024-activity-7263000000000000002-x1", "linkedin:activity:7263000000000000002", Network::LinkedIn),
    ("https://www.linkedin.com/feed/update/urn:li:share:7263000000000000003/", "linkedin:share:7263000000000000003", Network::LinkedIn),
    ("https://www.linkedin.com/feed/update/urn:li:ugcPost:7263000000000000004?commentUrn=x", "linkedin:ugcpost:7263000000000000004", Network::LinkedIn),
    ("https://www.linkedin.com/posts/ngo_river-ugcPost-7263000000000000005-AbCd", "linkedin:ugcpost:7263000000000000005", Network::LinkedIn),
    ("https://www.linkedin.com/embed/feed/update/urn:li:share:7263000000000000003", "linkedin:share:7263000000000000003", Network::LinkedIn),
    ("https://www.linkedin.com/pulse/our-year-ngo-abc/", "web:linkedin.com/pulse/our-year-ngo-abc", Network::LinkedIn),
    // Facebook: stories, group permalinks, pfbid posts, videos, reels, photos, share links.
    ("https://m.facebook.com/story.php?story_fbid=pfbid02XyZ&id=100064000000000&mibextid=Nif5oz", "facebook:pfbid02XyZ", Network::Facebook),
    ("https://web.facebook.com/ngo/posts/pfbid02XyZ?__cft__[0]=AZW&__tn__=%2CO", "facebook:pfbid02XyZ", Network::Facebook),
    ("https://www.facebook.com/groups/123456/permalink/7890123/", "facebook:7890123", Network::Facebook),
    ("https://www.facebook.com/groups/riverfriends/posts/7890123/", "facebook:7890123", Network::Facebook),
    ("https://www.facebook.com/watch/?v=1234567890&fbclid=IwAR0", "facebook:1234567890", Network::Facebook),
    ("https://facebook.com/ngo/videos/1234567890/", "facebook:1234567890", Network::Facebook),
    ("https://www.facebook.com/ngo/videos/river-day/1234567890/", "facebook:1234567890", Network::Facebook),
    ("https://www.facebook.com/reel/987654321", "facebook:987654321", Network::Facebook),
    ("https://www.facebook.com/photo/?fbid=55501&set=a.123", "facebook:55501", Network::Facebook),
    ("https://www.facebook.com/photo.php?fbid=55501", "facebook:55501", Network::Facebook),
    ("https://www.facebook.com/ngo/photos/a.123/55501/", "facebook:55501", Network::Facebook),
    ("https://www.facebook.com/share/p/1AbCdEfGhI/?mibextid=WC7FNe", "facebook:share:1AbCdEfGhI", Network::Facebook),
    ("https://www.facebook.com/share/1AbCdEfGhI/", "facebook:share:1AbCdEfGhI", Network::Facebook),
    ("https://fb.watch/vAbC12dEf/", "web:fb.watch/vAbC12dEf", Network::Facebook),
    // Instagram: posts, reels, IGTV, the newer user-prefixed form.
    ("https://www.instagram.com/p/DCx1AbCdEfG/?igsh=MWQ1", "instagram:DCx1AbCdEfG", Network::Instagram),
    ("https://www.instagram.com/reel/DCx1AbCdEfG/?utm_source=ig_web_copy_link", "instagram:DCx1AbCdEfG", Network::Instagram),
    ("https://www.instagram.com/reels/DCx1AbCdEfG/", "instagram:DCx1AbCdEfG", Network::Instagram),
    ("https://www.instagram.com/ngo/p/DCx1AbCdEfG/", "instagram:DCx1AbCdEfG", Network::Instagram),
    ("https://instagr.am/p/DCx1AbCdEfG/", "instagram:DCx1AbCdEfG", Network::Instagram),
    ("https://www.instagram.com/tv/DCx1AbCdEfG", "instagram:DCx1AbCdEfG", Network::Instagram),
    // Bluesky.
    ("https://bsky.app/profile/NGO.bsky.social/post/3lbabcdefgh2x?ref_src=embed", "bluesky:3lbabcdefgh2x", Network::Bluesky),
    // Mastodon and compatible servers.
    ("https://Piaf.Example.ORG/@ngo/113456789012345678/", "mastodon:piaf.example.org:113456789012345678", Network::Mastodon),
    ("https://mastodon.social/web/@ngo/113456", "mastodon:mastodon.social:113456", Network::Mastodon),
    ("https://mastodon.social/web/statuses/113456", "mastodon:mastodon.social:113456", Network::Mastodon),
    ("https://mastodon.social/deck/@ngo/113456", "mastodon:mastodon.social:113456", Network::Mastodon),
    ("https://gts.example.org/@ngo/statuses/01HABCDEFGHJKMNPQRSTVWXYZ0", "mastodon:gts.example.org:01HABCDEFGHJKMNPQRSTVWXYZ0", Network::Mastodon),
    ("https://mastodon.green/@ngo/113456", "mastodon:mastodon.green:113456", Network::Mastodon),
    // TikTok.
    ("https://www.tiktok.com/@ngo/video/7437000000000000000?is_from_webapp=1&sender_device=pc", "tiktok:7437000000000000000", Network::TikTok),
    ("https://m.tiktok.com/v/7437000000000000000.html?_r=1", "tiktok:7437000000000000000", Network::TikTok),
    ("https://www.tiktok.com/embed/v2/7437000000000000000", "tiktok:7437000000000000000", Network::TikTok),
    ("https://www.tiktok.com/@ngo/photo/7437000000000000001", "tiktok:7437000000000000001", Network::TikTok),
    ("https://vm.tiktok.com/ZMhAbCdEf/", "web:vm.tiktok.com/ZMhAbCdEf", Network::TikTok),
    // Threads.
    ("https://www.threads.net/@ngo/post/DCx1AbCdEfG?xmt=AQG", "threads:DCx1AbCdEfG", Network::Threads),
    ("https://www.threads.com/@ngo/post/DCx1AbCdEfG", "threads:DCx1AbCdEfG", Network::Threads),
    ("https://www.threads.net/t/DCx1AbCdEfG", "threads:DCx1AbCdEfG", Network::Threads),
    // YouTube: every video spelling, and community posts.
    ("https://youtu.be/dQw4w9WgXcQ?si=abc&t=42", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&list=PL1", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://youtube.com/shorts/dQw4w9WgXcQ?feature=share", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://www.youtube.com/live/dQw4w9WgXcQ?si=Xy", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://music.youtube.com/watch?v=dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ", Network::YouTube),
    ("https://www.youtube.com/post/UgkxAbCdEf", "youtube:post:UgkxAbCdEf", Network::YouTube),
    ("https://www.youtube.com/channel/UC123/community?lb=UgkxAbCdEf", "youtube:post:UgkxAbCdEf", Network::YouTube),
    // Telegram and WhatsApp channels.
    ("https://t.me/NGO_channel/1234?single", "telegram:ngo_channel:1234", Network::Telegram),
    ("https://t.me/s/ngo_channel/1234", "telegram:ngo_channel:1234", Network::Telegram),
    ("https://telegram.me/ngo_channel/1234", "telegram:ngo_channel:1234", Network::Telegram),
    ("https://t.me/c/1701234567/89", "telegram:c/1701234567:89", Network::Telegram),
    ("https://whatsapp.com/channel/0029VaAbCdEf1234/105", "whatsapp:channel:0029VaAbCdEf1234:105", Network::WhatsApp),
    ("https://whatsapp.com/channel/0029VaAbCdEf1234", "web:whatsapp.com/channel/0029VaAbCdEf1234", Network::WhatsApp),
    // Any other page: scheme, www., escapes and parameter order do not make another post.
    ("http://www.ngo.org/news/river/?b=2&a=1&utm_source=x", "web:ngo.org/news/river?a=1&b=2", Network::Other),
    ("https://ngo.org/news/%72iver?a=1&b=2", "web:ngo.org/news/river?a=1&b=2", Network::Other),
    ("https://ngo.org/news/caf%c3%a9", "web:ngo.org/news/caf%C3%A9", Network::Other),
    ("https://ngo.org:8443/a", "web:ngo.org:8443/a", Network::Other),
    ("https://mastodon.social/@ngo", "web:mastodon.social/@ngo", Network::Other),
    ("https://t.co/AbCdEf123", "web:t.co/AbCdEf123", Network::Other),
];

#[test]
fn real_world_post_links_get_their_networks_post_identity() {
    assert!(POSTS.len() >= 60, "only {} shapes", POSTS.len());
    for &(raw, key, network) in POSTS {
        assert_eq!(post(raw), Ok((key.to_string(), network)), "row {raw:?}");
    }
}

#[test]
fn different_posts_have_different_keys() {
    let distinct = [
        "https://x.com/ngo/status/1859",
        "https://x.com/ngo/status/1860",
        "https://www.linkedin.com/feed/update/urn:li:activity:7263000000000000000",
        "https://www.linkedin.com/feed/update/urn:li:share:7263000000000000000",
        "https://mastodon.social/@ngo/113456",
        "https://mastodon.green/@ngo/113456",
        "https://www.instagram.com/p/DCx1AbCdEfG",
        "https://www.instagram.com/p/dcx1abcdefg",
        "https://ngo.org/news/River",
        "https://ngo.org/news/river",
        "https://ngo.org/news/river?page=2",
        "https://t.me/ngo/1",
        "https://t.me/c/1/1",
    ];
    let keys: std::collections::BTreeSet<String> = distinct.iter().map(|raw| normalise(raw).expect(raw).post).collect();
    assert_eq!(keys.len(), distinct.len(), "{keys:?}");
}
