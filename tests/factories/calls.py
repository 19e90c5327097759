import factory

from calls.models import CallIndexPage, CallPage


class CallPageFactory(factory.django.DjangoModelFactory):
    """A call for memories under the site's calls index (made by a migration),
    published unless live=False. `objects` and `productions` take lists."""

    class Meta:
        model = CallPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Were you at the pantomime of 198{n % 10}?")
    context = "We are piecing together the story of the show and would love to hear from you."

    @classmethod
    def _create(cls, model_class, *args, live=True, objects=(), productions=(), **kwargs):
        call = model_class(*args, live=live, **kwargs)
        call.objects_asked_about.set(objects)
        call.productions.set(productions)
        CallIndexPage.objects.get().add_child(instance=call)
        revision = call.save_revision()
        if live:
            revision.publish()
        call.refresh_from_db()
        return call
