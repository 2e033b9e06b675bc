"""People and bots as MAX describes them, and where a message goes."""


from bot.types.base import MaxModel


class User(MaxModel):
    user_id: int
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    # Absent when the user hides their online status.
    last_activity_time: int | None = None
    # Deprecated by MAX but still sent.
    name: str | None = None

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class UserWithPhoto(User):
    description: str | None = None
    avatar_url: str | None = None
    full_avatar_url: str | None = None


class BotCommand(MaxModel):
    # MAX checks the limits (name 1-64, description 1-128); a parser must not.
    name: str
    description: str | None = None


class BotInfo(UserWithPhoto):
    commands: list[BotCommand] | None = None


class Recipient(MaxModel):
    chat_id: int | None = None
    # "dialog", "chat" or "channel"; kept as a plain string so a new kind does not break parsing.
    chat_type: str = "dialog"
    # In a dialog this is the other party, e.g. the bot for a message a user sent to it.
    user_id: int | None = None
