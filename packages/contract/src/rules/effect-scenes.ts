// The video-effect scenes (spec §2.10): which take one image (`input.image`) and which two (`input.images`).
// The list drifts (152 scenes in [OFF-old], 229 in [004], 219 in [VD] on 2026-09-20). Kiln accepts the union of the
// lists it has (DESIGN: permissive on input): the current [VD] scenes, plus the [OFF-old] ones no longer listed
// (including the four dual-character scenes discontinued on 01/30/2026). `magic_match_tree` was announced
// discontinued (07/03/2026) but is still in the [VD] enum, so it stays.

/** Dual-image scenes, current [VD]. */
export const DUAL_IMAGE_SCENES = [
  'pet_skateboard', 'daily_ootd', 'toss_run', 'switch_to_silk', 'studio_look', 'french_elegance', 'finger_swipe',
  'smooth_transition', 'kiss_pro', 'snow_night_kiss', 'eternal_kiss', 'cheers_2026', 'fight_pro', 'hug_pro',
  'heart_gesture_pro',
] as const;

/** Dual-character scenes of [OFF-old] (hug, kiss, heart_gesture: kling-v1/v1-5/v1-6; fight: kling-v1-6 only). */
export const LEGACY_DUAL_IMAGE_SCENES = ['hug', 'kiss', 'heart_gesture', 'fight'] as const;

/** Single-image scenes, current [VD]. */
export const SINGLE_IMAGE_SCENES = [
  'net_the_fish', 'birthday_board', 'summer_fireworks', 'blow_blaze', 'champagne_birthday', 'pet_working_daily',
  'pet_roll_window', 'pet_crash_earth', 'makeup_style', 'hair_dressup', 'barbie_transform', 'critter_paste',
  'wiggle_faces_pets', 'paw_headbang', 'food_splash', 'dj_pet', 'pet_diving', 'disco_paws', 'pet_fitness',
  'j_var_live', 'pet_burst', 'idol_live', 'beast_striker', 'african_sway', 'jealousy_sway', 'chubby_fish',
  'shrug_dance', 'soccer_star', 'bra_hot_dance', 'arg_hot_dance', 'fra_hot_dance', 'bra_goal', 'arg_goal',
  'por_goal', 'victory_slide', 'samba_fever', 'bicycle_kick', 'football_dance_2', 'red_card_sent_off',
  'football_dance', 'magic_world_vlog', 'magic_world_vlog_9_16', 'air_dunk', 'whirling_beverage_9_16',
  'tennis_trend', 'tennis_trend_9_16', 'football_live_9_16', 'whirling_beverage', 'f1_live', 'football_live',
  'spielberg_transition', 'korean_baseball_9_16', 'korean_baseball', 'tiny_beast_printer', 'landmark_reveal',
  'winter_charm', 'flash_ride', 'maestro_of_magic', 'magic_carpet_ride', 'good_luck_spirit', 'shooting_star',
  'sparkler_wand', 'sovereign_scepter', 'dirt_rush', 'return_of_the_king', 'dance_with_dragon', 'minimalist_light',
  'martial_meow', 'sassy_shake', 'knock_at_a_door_revenge', 'palm_sized_figure_pro', 'prank_box', 'perler_beads',
  'spring_bloom', 'get_rich_quick', 'make_it_rain', 'twist_shake', 'the_hip_sway', 'send_my_love', 'funky_martian',
  'wealth_drive', 'the_high_kick', 'the_exercise', 'lucky_veggie', 'flash_drive', 'shush_my_dreams',
  'advent_of_flora', 'raid_check', 'fortune_in_motion', 'chinese_trend', 'sedan_chair_dance', 'skyfall',
  'good_luck_dance', 'laicai_dance', 'yangge_dance', 'color_mixing', 'lantern_festival_cuju', 'unique_firework',
  'unique_spring_couplets', 'horse_mask', 'fortune_knocks_cartoon', 'tangyuan_to_animal', 'hot_feet_dance',
  'swag_dance', 'pigeon_dance', 'bloodline_dance', 'chanel_dance', 'cute_dance', 'love_theme_song',
  'pumpitup_dance', 'city_to_village', 'fortune_god_transform', 'new_year_feast', 'ring_in_new',
  'horse_year_firework', 'crystal_horse', 'drunk_dance', 'drunk_dance_pet', 'daoma_dance', 'bouncy_dance',
  'smooth_sailing_dance', 'new_year_greeting', 'lion_dance', 'prosperity', 'great_success', 'golden_horse_fortune',
  'red_packet_box', 'lucky_horse_year', 'lucky_red_packet', 'lucky_money_come', 'lion_dance_pet',
  'dumpling_making_pet', 'fish_making_pet', 'pet_red_packet', 'lantern_glow', 'expression_challenge', 'overdrive',
  'heart_gesture_dance', 'poping', 'martial_arts', 'running', 'nezha', 'motorcycle_dance', 'subject_3_dance',
  'ghost_step_dance', 'phantom_jewel', 'zoom_out', 'dollar_rain_pro', 'pet_bee_pro', 'countdown_teleport',
  'santa_random_surprise', 'magic_match_tree', 'bullet_time_360', 'happy_birthday', 'birthday_star',
  'thumbs_up_pro', 'tiger_hug_pro', 'pet_lion_pro', 'surprise_bouquet', 'bouquet_drop', 'glamour_photo_shoot',
  'box_of_joy', 'first_toast_of_the_year', 'my_santa_pic', 'santa_gift', 'steampunk_christmas', 'snowglobe',
  'christmas_photo_shoot', 'ornament_crash', 'santa_express', 'instant_christmas', 'coronation_of_frost',
  'building_sweater', 'spark_in_the_snow', 'scarlet_and_snow', 'bullet_time_lite', 'jumping_ginger_joy',
  'pure_white_wings', 'black_wings', 'golden_wing', 'pink_pink_wings', 'venomous_spider', 'throne_of_king',
  'luminous_elf', 'woodland_elf', 'guardian_spirit', 'swish_swish', 'snowboarding', 'witch_transform',
  'vampire_transform', 'pumpkin_head_transform', 'demon_transform', 'mummy_transform', 'zombie_transform',
  'cute_pumpkin_transform', 'halloween_escape', 'pet_moto_rider', 'running_man', '3d_cartoon_2', 'pet_dance',
  'swing_swing', 'day_to_night', 'surfsurf', 'skateskate',
] as const;

/**
 * Single-image scenes of [OFF-old] missing from [VD]. `let’s_ride` is spelled with a typographic apostrophe in the
 * source and is kept as written.
 */
export const LEGACY_SINGLE_IMAGE_SCENES = [
  'firework_2026', 'particle_santa_surround', 'cozy_toon_wrap', 'magic_cloak', 'balloon_parade', 'bullet_time',
  'c4d_cartoon_pro', 'japanese_anime_1', 'american_comics', 'cute_ghost_transform', 'knock_knock_halloween',
  'baseball', 'inner_voice', 'a_list_look', 'memory_alive', 'trampoline', 'trampoline_night', 'pucker_up',
  'guess_what', 'feed_mooncake', 'rampage_ape', 'flyer', 'dishwasher', 'pet_chinese_opera', 'magic_fireball',
  'gallery_ring', 'muscle_pet', 'squeeze_scream', 'pet_delivery', 'disappear', 'mythic_style', 'steampunk',
  'c4d_cartoon', '3d_cartoon_1', 'eagle_snatch', 'hug_from_past', 'firework', 'media_interview', 'pet_lion',
  'pet_chef', 'santa_gifts', 'santa_hug', 'girlfriend', 'boyfriend', 'heart_gesture_1', 'pet_wizard', 'smoke_smoke',
  'thumbs_up', 'instant_kid', 'dollar_rain', 'cry_cry', 'building_collapse', 'gun_shot', 'mushroom', 'double_gun',
  'pet_warrior', 'lightning_power', 'jesus_hug', 'shark_alert', 'long_hair', 'lie_flat', 'polar_bear_hug',
  'brown_bear_hug', 'jazz_jazz', 'office_escape_plow', 'fly_fly', 'watermelon_bomb', 'boss_coming', 'wool_curly',
  'pet_bee', 'marry_me', 'piggy_morph', 'wig_out', 'car_explosion', 'ski_ski', 'tiger_hug', 'siblings',
  'construction_worker', 'let’s_ride', 'emoji', 'snatched', 'magic_broom', 'felt_felt', 'jumpdrop', 'celebration',
  'splashsplash', 'fairy_wing', 'angel_wing', 'dark_wing', 'plushcut', 'jelly_press', 'jelly_slice', 'jelly_squish',
  'jelly_jiggle', 'pixelpixel', 'yearbook', 'instant_film', 'anime_figure', 'rocketrocket', 'bloombloom',
  'dizzydizzy', 'fuzzyfuzzy', 'squish', 'expansion',
] as const;

export const EFFECT_SCENES = [
  ...DUAL_IMAGE_SCENES, ...LEGACY_DUAL_IMAGE_SCENES, ...SINGLE_IMAGE_SCENES, ...LEGACY_SINGLE_IMAGE_SCENES,
] as const;
export type EffectScene = (typeof EFFECT_SCENES)[number];

const dual = new Set<string>([...DUAL_IMAGE_SCENES, ...LEGACY_DUAL_IMAGE_SCENES]);
export const isDualImageScene = (scene: string) => dual.has(scene);
