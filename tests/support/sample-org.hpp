// The sample organisation the emulator serves by default
// (emulator/data/sample-org.json): its people and rooms as the integration,
// emulator and benchmark tests name them. The values are the file's: change
// both together. Tests that write an organisation of their own reuse Alice,
// Bob and the Dev room from it (the same ids, names and passwords).
#pragma once

namespace hipchat::test::sample {

struct Person {
    int id;
    const char *email;  // the login name
    const char *password;
    const char *token;         // a personal API token; "" for none
    const char *jid;           // bare: <group id>_<user id>@chat.hipchat.com
    const char *name;          // full name: the nick in rooms
    const char *mention_name;  // without the @
};

struct Room {
    int id;
    const char *slug;
    const char *jid;  // <group id>_<slug>@conf.hipchat.com
    const char *name;
};

inline constexpr int group_id = 10804;
inline constexpr const char *group_name = "Example Inc";

// clang-format off
inline constexpr Person
    alice{204364, "alice@example.com", "alice-demo-password", "alice-demo-token",
          "10804_204364@chat.hipchat.com", "Alice Example", "AliceExample"},
    bob  {204365, "bob@example.com",   "bob-demo-password",   "bob-demo-token",
          "10804_204365@chat.hipchat.com", "Bob Test",      "BobTest"},
    carol{204366, "carol@example.com", "carol-demo-password", "",
          "10804_204366@chat.hipchat.com", "Carol Jones",   "CarolJones"},
    dave {204367, "dave@example.com",  "dave-demo-password",  "",
          "10804_204367@chat.hipchat.com", "Dave O'Brien",  "DaveOBrien"},
    erin {204368, "erin@example.com",  "erin-demo-password",  "",
          "10804_204368@chat.hipchat.com", "Erin Müller",   "ErinMuller"},
    frank{204369, "frank@example.com", "frank-demo-password", "",
          "10804_204369@chat.hipchat.com", "Frank Li",      "FrankLi"},
    grace{204370, "grace@example.com", "grace-demo-password", "",
          "10804_204370@chat.hipchat.com", "Grace Hopper",  "GraceH"},
    heidi{204371, "heidi@example.com", "heidi-demo-password", "",
          "10804_204371@chat.hipchat.com", "Heidi Klein",   "HeidiK"},
    ivan {204372, "ivan@example.com",  "ivan-demo-password",  "",
          "10804_204372@chat.hipchat.com", "Ivan Petrov",   "IvanP"},
    judy {204373, "judy@example.com",  "judy-demo-password",  "",
          "10804_204373@chat.hipchat.com", "Judy Alvarez",  "JudyA"};

inline constexpr Room
    // public, Alice owns it
    dev       {22087, "dev",        "10804_dev@conf.hipchat.com",        "Dev"},
    // public, Bob owns it
    random    {22088, "random",     "10804_random@conf.hipchat.com",     "Random"},
    // private: Alice, Bob and Frank
    ops       {22089, "ops",        "10804_ops@conf.hipchat.com",        "Ops"},
    // public, Carol owns it
    design    {22090, "design",     "10804_design@conf.hipchat.com",     "Design"},
    // public, Dave owns it; a guest URL
    support   {22091, "support",    "10804_support@conf.hipchat.com",    "Support"},
    // archived, Alice owns it
    old_launch{22092, "old_launch", "10804_old_launch@conf.hipchat.com", "Old Launch"};
// clang-format on

}  // namespace hipchat::test::sample
